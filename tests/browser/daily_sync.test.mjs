// daily_sync.test.mjs — the Sync page of a lead (issue 18, item "syncs run"):
// a sync started from the page completes while the page is watched, run by
// the dev stack's sync loop (scripts/sync-loop.sh, limited here to this
// file's org); a queue nobody works shows a warning; a waiting job is
// cancelled from its row. 1280×800, real chromium, nothing mocked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ROOT, PROFILE, VAR, sql, useSourceAddress } from '../api/lib.mjs';
import { closeAll, signedInPage, goto, tableReady, orgWithAdmin, DESKTOP } from './browser_lib.mjs';

useSourceAddress('127.0.0.182');

let page;
let org;
let user;
const consoleErrors = [];

before(async () => {
  ({ org, user } = await orgWithAdmin({ resetSimulator: true, name: 'Daily Sync' }));
  ({ page } = await signedInPage(user, { viewport: DESKTOP }, consoleErrors));
});

after(closeAll);

const jobStatus = (type) => page.locator(`.job-status[data-type="${type}"]`).first();

test('a sync started on the page completes while the page is watched (the stack\'s sync loop runs it)', async () => {
  await goto(page, '#/sync');
  await tableReady(page);
  await page.locator('[data-sync-type="phone_numbers"]').click();
  await page.waitForFunction(() => document.querySelector('.job-status[data-type="phone_numbers"]')?.dataset.status === 'queued');
  const loop = spawn(`${ROOT}/scripts/sync-loop.sh`, [PROFILE], {
    env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? `log_path=${VAR}/log/asan-sync:detect_leaks=1`, VS_SYNC_ORG: org.id, VS_SYNC_DRAIN_EVERY: '2', VS_SYNC_SCHEDULE_EVERY: '3600', VS_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const ended = new Promise((resolve) => loop.on('close', resolve));
  try {
    // nobody reloads: the page's own polling shows the outcome
    await page.waitForFunction(() => ['completed', 'failed'].includes(
      [...document.querySelectorAll('.job-status[data-type="phone_numbers"]')].at(-1)?.dataset.status), null, { timeout: 120_000 });
    assert.equal(await page.locator('.job-status[data-type="phone_numbers"]').last().getAttribute('data-status'), 'completed');
    await page.waitForFunction(() => document.querySelector('.sync-card-status[data-type="phone_numbers"]')?.textContent.includes('Completed'));
  } finally {
    loop.kill('SIGTERM');
    assert.equal(await ended, 0);
  }
  assert.equal(await page.locator('[data-sync-stalled]').count(), 0);
});

test('a queue nobody works shows a warning; the waiting job is cancelled from its row', async () => {
  await page.locator('[data-sync-type="contacts"]').click();
  await page.waitForFunction(() => [...document.querySelectorAll('.job-status[data-type="contacts"]')].some((e) => ['queued', 'running', 'completed'].includes(e.dataset.status)));
  // the job waits ten minutes with no worker (no loop runs now)
  const rows = sql(`SELECT id FROM sync_jobs WHERE org_id = '${org.id}' AND type = 'contacts' AND status = 'queued'`);
  assert.equal(rows.length, 1, 'one queued contacts job');
  const jobId = rows[0][0];
  sql(`UPDATE sync_jobs SET run_after = NOW(3) - INTERVAL 10 MINUTE WHERE id = '${jobId}'`);
  const warning = page.locator('[data-sync-stalled]');
  await warning.waitFor({ timeout: 30_000 });
  assert.match(await warning.textContent(), /No sync worker is taking jobs.*10 minutes/);
  await page.screenshot({ path: `${ROOT}/tests/browser/screenshots/daily-sync-stalled.png` }).catch(() => {});

  const cancel = page.locator(`[data-cancel-job="${jobId}"]`);
  assert.equal(await cancel.isVisible(), true);
  await cancel.click();
  await page.waitForFunction(() => document.querySelector('.job-status[data-type="contacts"]')?.dataset.status === 'cancelled');
  await warning.waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal(sql(`SELECT status FROM sync_jobs WHERE id = '${jobId}'`)[0][0], 'cancelled');
  assert.equal(await page.locator(`[data-cancel-job="${jobId}"]`).count(), 0, 'no Cancel on a cancelled job');
  assert.deepEqual(consoleErrors, []);
});
