// daily_sms_opt_out.test.mjs — texting opt-out (issue 18): a contact that
// texts STOP (or STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) to a business
// number is opted out for that number; a send to it is refused (409, reason
// opted_out, nothing stored or sent upstream) until it texts START. Inbound
// messages arrive here by webhook and as rows the sync stores; the newest
// keyword message wins whatever order they arrive in.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { messagingOrg, mcEvent, postWebhook, simNumbers, simSent, uniquePhone } from './msg_helpers.mjs';

useSourceAddress('127.0.0.184');

let M;
const send = (to, extra = {}) => api.post(`/api/orgs/${M.org.id}/sms/send`, { to, message: 'Your appointment is at 3', ...extra }, { headers: M.headers });
const rows = () => Number(sql(`SELECT COUNT(*) FROM sms_messages WHERE org_id = '${M.org.id}' AND direction = 'outbound'`)[0][0]);

/** An inbound text from `from` to the org's number, by webhook. */
async function texts(from, text, to = M.from) {
  const r = await postWebhook(M.integration, mcEvent('IncomingMessage', { id: randomUUID(), from, to, body: { Text: text } }));
  assert.equal(r.status, 200, r.text);
}

/** An inbound text stored the way the SMS sync stores one, sent at `at` (SQL datetime). */
function synced(from, text, at) {
  sql(`INSERT INTO sms_messages (org_id, external_id, business_number, contact_number, direction, body, status, sent_at)
       VALUES ('${M.org.id}', 'j-${randomUUID()}', '${M.from}', '${from}', 'inbound', '${text}', 'received', '${at}')`);
}

before(async () => {
  M = await messagingOrg();
});

test('STOP by webhook: sending is refused with a clear reason, nothing stored or sent; START lifts it', async () => {
  const c = uniquePhone();
  assert.equal((await send([c])).status, 201);
  await texts(c, ' Stop ');
  const before = rows();
  const sentBefore = (await simSent(c)).length;
  const r = await send([c]);
  assertError(assert, r, 409, 'CONFLICT');
  assert.equal(r.json.details.reason, 'opted_out');
  assert.equal(r.json.details.field, 'to');
  assert.equal(r.json.details.from, M.from);
  assert.deepEqual(r.json.details.numbers.map((n) => [n.contact_number, n.keyword]), [[c, 'STOP']]);
  assert.match(r.json.error, new RegExp(`\\${c} texted STOP to \\${M.from}.*START`));
  assert.equal(rows(), before, 'nothing stored');
  assert.equal((await simSent(c)).length, sentBefore, 'nothing sent upstream');

  // one opted-out recipient refuses the whole request: nobody gets a partial send
  const other = uniquePhone();
  assertError(assert, await send([other, c]), 409, 'CONFLICT');
  assert.equal((await simSent(other)).length, 0);

  await texts(c, 'START');
  const ok = await send([c]);
  assert.equal(ok.status, 201, ok.text);
  assert.equal((await simSent(c)).length, sentBefore + 1);
});

test('every stop keyword counts; other texts containing them do not', async () => {
  for (const kw of ['STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit.']) {
    const c = uniquePhone();
    await texts(c, kw);
    assertError(assert, await send([c]), 409, 'CONFLICT');
  }
  const c = uniquePhone();
  await texts(c, 'please do not stop texting me');
  await texts(c, 'Can I cancel my appointment?');
  assert.equal((await send([c])).status, 201);
});

test('the opt-out is per business number', async () => {
  const nums = (await simNumbers()).texting.filter((n) => n !== M.from);
  assert.ok(nums.length > 0, 'the simulator has a second texting number');
  const second = nums[0];
  const add = await api.post(`/api/orgs/${M.org.id}/sms/numbers`, { phone_number: second, label: 'Second' }, { headers: M.headers });
  assert.equal(add.status, 201, add.text);
  const c = uniquePhone();
  await texts(c, 'STOP');
  assertError(assert, await send([c]), 409, 'CONFLICT');
  const fromSecond = await send([c], { from: second });
  assert.equal(fromSecond.status, 201, fromSecond.text);
});

test('synced messages count too, and the newest keyword wins whatever the arrival order', async () => {
  const c = uniquePhone();
  synced(c, 'START', '2026-01-02 10:00:00');
  synced(c, 'UNSUBSCRIBE', '2026-01-01 10:00:00'); // older, arriving later: START stands
  assert.equal((await send([c])).status, 201);
  synced(c, 'END', '2026-01-03 10:00:00');
  const r = await send([c]);
  assertError(assert, r, 409, 'CONFLICT');
  assert.equal(r.json.details.numbers[0].keyword, 'END');
});

test('a reply in the conversation is refused too', async () => {
  const c = uniquePhone();
  await texts(c, 'hello');
  await texts(c, 'STOP');
  const [[thread]] = sql(`SELECT thread_id FROM sms_messages WHERE org_id = '${M.org.id}' AND contact_number = '${c}' LIMIT 1`);
  const r = await api.post(`/api/orgs/${M.org.id}/sms/threads/${thread}/messages`, { message: 'are you there?' }, { headers: M.headers });
  assertError(assert, r, 409, 'CONFLICT');
  assert.equal(r.json.details.reason, 'opted_out');
});
