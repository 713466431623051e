// The simulator's whole state: one Dataset per account (api_key), issued
// tokens, quota usage, fault settings, request counters, accepted messages,
// idempotency records and MMS attachments. reset() clears everything but the
// datasets (or rebuilds them too when asked).

import { Dataset } from './data.mjs';
import { TokenStore } from './auth.mjs';
import { Quota } from './quota.mjs';
import { Faults } from './faults.mjs';
import { Counters } from './counters.mjs';
import { hash32 } from './prng.mjs';
import { Webhooks } from './webhooks.mjs';

export function createSim(cfg) {
  const startNow = cfg.now ?? Date.now();
  const sim = {
    cfg,
    now: startNow,
    baseUrl: 'http://127.0.0.1',
    accounts: new Map(),
    tokens: new TokenStore(),
    quota: new Quota(cfg.quota),
    faults: new Faults(hash32(String(cfg.accounts[0].seed))),
    counters: new Counters(),
    sent: [],
    idempotency: new Map(),
    attachments: new Map(),
    webhooks: new Webhooks(),
    held: new Set(),
    log: cfg.verbose ? (msg) => process.stderr.write(`${msg}\n`) : () => {},

    buildAccounts() {
      this.accounts.clear();
      for (const a of cfg.accounts) {
        const ds = new Dataset({ ...cfg.dataset, seed: a.seed, now: startNow });
        ds.apiKey = a.apiKey;
        ds.userKey = a.userKey;
        ds.baseUrl = this.baseUrl;
        this.accounts.set(a.apiKey, ds);
      }
    },

    setBaseUrl(url) {
      this.baseUrl = url;
      for (const ds of this.accounts.values()) ds.baseUrl = url;
    },

    /** Account for control calls: by api key, else the first one. */
    account(apiKey) {
      return apiKey ? this.accounts.get(apiKey) ?? null : this.accounts.values().next().value;
    },

    quotaLimit() {
      return this.faults.s.quota ?? cfg.quota;
    },

    reset({ dataset = false } = {}) {
      this.counters.reset();
      this.faults.set({});
      this.quota.reset();
      this.sent = [];
      this.idempotency.clear();
      this.attachments.clear();
      this.webhooks.deliveries = [];
      if (dataset) this.buildAccounts();
      else for (const ds of this.accounts.values()) ds.removeSent();
    },

    /** Release requests held by the "timeout" fault (shutdown). */
    releaseHeld() {
      for (const h of this.held) h();
      this.held.clear();
    },
  };
  sim.buildAccounts();
  return sim;
}
