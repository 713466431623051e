// sync_fidelity.test.mjs — the sync relies only on what MightyCall's Swagger
// promises, checked with simulator modes that do what the Swagger allows:
// pages shorter than asked (page_cap), journal requestGuid ≠ call id
// (journal_guid), an SMS send that times out after MightyCall accepted it.
// Runs the real vs-sync binary against the simulator.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { useSourceAddress } from './lib.mjs';
import {
  STREAMS, expectedCounts, orgWithIntegration, setFaults, simReset, storedCounts, vsSync,
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
