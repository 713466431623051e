// sync_fidelity.test.mjs — the sync relies only on what MightyCall's Swagger
// promises, checked with simulator modes that do what the Swagger allows:
// pages shorter than asked (page_cap), journal requestGuid ≠ call id
// (journal_guid). (SMS sends whose reply is lost: msg_send.test.mjs.)
// Runs the real vs-sync binary against the simulator.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, useSourceAddress } from './lib.mjs';
import {
  STREAMS, expectedCounts, orgWithIntegration, setFaults, simReset, sqlNum, storedCounts, vsSync,
} from './sync_helpers.mjs';

useSourceAddress('127.0.0.37');

let expected; // counts according to the simulator (asked without a cap)

before(async () => {
  await simReset();
  expected = await expectedCounts();
  await simReset();
});

test('pages shorter than asked (page_cap 100): every record is synced', async () => {
  const env = await orgWithIntegration();
  await setFaults({ page_cap: 100 });
  try {
    const r = await vsSync(['run', '--org', env.org.id, '--type', 'all']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const t of STREAMS) assert.match(r.stdout, new RegExp(`^${t}: completed`, 'm'), t);
  } finally {
    await setFaults({});
  }
  const got = storedCounts(env.org.id);
  for (const k of ['calls', 'recordings', 'voicemails', 'sms', 'contacts']) {
    assert.equal(got[k], expected[k], `${k}: stored ${got[k]}, simulator has ${expected[k]}`);
  }
});

/** rows, distinct keys and an md5 of the stable columns of an org's calls (as tests/faults/run.mjs compares tables). */
function callsSum(orgId) {
  const cols = ['external_id', 'journal_id', 'business_number', 'direction', 'status', 'caller_number', 'caller_name',
    'called_number', 'extension', 'agent_external_id', 'agent_name', 'started_at', 'ended_at', 'duration_seconds',
    'recording_url', 'source', 'phone_number_id IS NULL'];
  const row = `CONCAT_WS('|', ${cols.map((c) => `IFNULL(${c}, '~')`).join(', ')})`;
  const [n, keys, md5] = sql(`SET SESSION group_concat_max_len = 1073741824; SELECT COUNT(*), COUNT(DISTINCT external_id), `
    + `MD5(GROUP_CONCAT(${row} ORDER BY external_id SEPARATOR '\\n')) FROM calls WHERE org_id = '${orgId}'`)[0];
  return { rows: Number(n), keys: Number(keys), md5 };
}

test('journal requestGuid ≠ call id (journal_guid distinct): each call stored once, with its agent', async () => {
  const ref = await orgWithIntegration();
  for (const t of ['phone_numbers', 'extensions', 'calls']) {
    const r = await vsSync(['run', '--org', ref.org.id, '--type', t]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  }
  const env = await orgWithIntegration();
  await setFaults({ journal_guid: 'distinct' });
  try {
    for (const t of ['phone_numbers', 'extensions', 'calls']) {
      const r = await vsSync(['run', '--org', env.org.id, '--type', t]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
    }
  } finally {
    await setFaults({});
  }
  const a = callsSum(ref.org.id), b = callsSum(env.org.id);
  assert.equal(b.rows, expected.calls, `stored ${b.rows} calls, the simulator has ${expected.calls}`);
  assert.equal(b.keys, b.rows, 'no call twice');
  assert.deepEqual(b, a, 'the same rows as a sync with requestGuid = call id');
  const oid = env.org.id;
  // the calls come from one pass over /calls (the journal is not read for calls); the agent's user id
  // from the extensions the journal's agents named
  assert.equal(sqlNum(`SELECT COUNT(*) FROM calls WHERE org_id = '${oid}' AND agent_external_id IS NULL`), 0,
    'every call has its agent');
  assert.equal(sqlNum(`SELECT COUNT(*) FROM calls WHERE org_id = '${oid}' AND source = 'journal'`), 0);
});
