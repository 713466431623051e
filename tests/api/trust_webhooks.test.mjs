// trust_webhooks.test.mjs — webhook secrets never reach a log and can be
// rotated (docs/webhooks.md): a rate-limited burst against one integration
// gets nginx's JSON 429 while another integration is unaffected (the zone is
// keyed per integration, not per address), and neither nginx's error log nor
// its access log holds the secret afterwards; rotate-webhook-secret answers a
// new URL and the old secret stops working at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { VAR, api, assertError, freshSource, sql, useSourceAddress } from './lib.mjs';
import { newOrg, platformAdmin, userWithRole } from './fixtures.mjs';
import { mcEvent, messagingOrg, pool, postWebhook } from './msg_helpers.mjs';

useSourceAddress('127.0.0.64');

const rotatePath = (org, id) => `/api/admin/orgs/${org}/integrations/${id}/rotate-webhook-secret`;
const logText = (name) => (existsSync(`${VAR}/log/${name}`) ? readFileSync(`${VAR}/log/${name}`, 'utf8') : '');

test('rotate-webhook-secret: a new URL, the old secret stops working at once', async () => {
  const M = await messagingOrg({ withNumber: false });
  const old = M.integration.webhook_secret;
  assert.equal((await postWebhook(M.integration, mcEvent('AgentStatusChanged', { id: 'r1' }))).status, 200);

  const r = await api.post(rotatePath(M.org.id, M.integration.id), undefined, { headers: M.headers });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['id', 'webhook_secret', 'webhook_url']);
  assert.equal(r.json.id, M.integration.id);
  assert.ok(r.json.webhook_secret.length >= 40 && r.json.webhook_secret !== old);
  assert.ok(r.json.webhook_url.endsWith(`/api/webhooks/mightycall/${M.integration.id}?secret=${r.json.webhook_secret}`));

  const stale = await postWebhook(M.integration, mcEvent('AgentStatusChanged', { id: 'r2' }), { secret: old });
  assertError(assert, stale, 401, 'UNAUTHORIZED');
  const fresh = await postWebhook(M.integration, mcEvent('AgentStatusChanged', { id: 'r3' }), { secret: r.json.webhook_secret });
  assert.equal(fresh.status, 200, fresh.text);
  // the rotation is in the org's activity, without the secret
  const acts = sql(`SELECT description FROM activity_log WHERE org_id = '${M.org.id}' AND type = 'integration_updated'`);
  assert.ok(acts.some(([d]) => /webhook secret rotated/.test(d)), JSON.stringify(acts));
  assert.ok(!JSON.stringify(acts).includes(r.json.webhook_secret));
});

test('rotate-webhook-secret: org_admin only; another org\'s integration is 404', async () => {
  const M = await messagingOrg({ withNumber: false });
  const manager = await userWithRole(M.org.id, 'manager');
  assertError(assert, await api.post(rotatePath(M.org.id, M.integration.id), undefined, { headers: manager.headers }), 403, 'FORBIDDEN');
  const { headers } = await platformAdmin();
  const other = await newOrg(headers);
  const admin = await userWithRole(other.id, 'org_admin');
  const foreign = await api.post(rotatePath(other.id, M.integration.id), undefined, { headers: admin.headers });
  assertError(assert, foreign, 404, 'NOT_FOUND');
  assert.equal(foreign.json.details.resource, 'integration');
  // the secret did not change
  assert.equal((await postWebhook(M.integration, mcEvent('AgentStatusChanged', { id: 'k1' }))).status, 200);
});

test('a rate-limited webhook burst: JSON 429 for that integration only, and no secret in any nginx log', async () => {
  const A = await messagingOrg({ withNumber: false });
  const B = await messagingOrg({ withNumber: false });
  // every event has a wrong ApiKey: the worker answers 401 quickly, nothing is stored
  const N = 1800;
  const events = Array.from({ length: N }, (_, i) => mcEvent('AgentStatusChanged', { id: `b${i}`, apiKey: 'not-the-key' }));
  const answers = await pool(events, 48, (ev) => postWebhook(A.integration, ev, { source: freshSource() }));
  const limited = answers.filter((r) => r.status === 429);
  assert.equal(limited.length + answers.filter((r) => r.status === 401).length, N,
    [...new Set(answers.map((r) => r.status))].join(','));
  assert.ok(limited.length > 0, 'the per-integration limit was reached');
  for (const r of limited.slice(0, 5)) {
    assertError(assert, r, 429, 'RATE_LIMITED');
    assert.ok(Number(r.headers['retry-after']) >= 1);
  }
  // keyed per integration, not per address: B is unaffected, from any address
  const b = await postWebhook(B.integration, mcEvent('AgentStatusChanged', { id: 'b-ok' }));
  assert.equal(b.status, 200, b.text);

  // the logs: no secret anywhere (the burst's rejections would print the
  // request line, query string included, at nginx's default error level)
  const secrets = [A.integration.webhook_secret, B.integration.webhook_secret];
  for (const name of ['nginx-error.log', 'nginx-access.log', 'api.log']) {
    const text = logText(name);
    for (const s of secrets) assert.ok(!text.includes(s), `${name} holds a webhook secret`);
    assert.ok(!text.includes('secret='), `${name} holds a query string with a secret`);
  }
  // the access log still records each webhook request (path only) with its status
  const access = logText('nginx-access.log');
  assert.ok(access.includes(`"POST /api/webhooks/mightycall/${A.integration.id}" 429`), 'rejections are in the access log');
});
