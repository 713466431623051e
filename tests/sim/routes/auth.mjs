// POST /v4/auth/token — OAuth client_credentials and refresh_token grants
// (form-encoded, header x-api-key). Bad credentials: 400 {"error":"invalid_client"}.

import { safeEqual } from '../auth.mjs';
import { json } from '../http.mjs';

const oauthError = (error) => json(400, { error }, { 'cache-control': 'no-store' });

async function token(ctx) {
  const { sim, req, body, now } = ctx;
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded')) return oauthError('unsupported_grant_type');
  const form = new URLSearchParams(body.toString('utf8'));
  const headerKey = req.headers['x-api-key'];
  const grant = form.get('grant_type');
  let apiKey;
  if (grant === 'client_credentials') {
    const id = form.get('client_id') ?? '', secret = form.get('client_secret') ?? '';
    const acct = sim.accounts.get(id);
    if (!acct || !headerKey || !safeEqual(headerKey, id) || !safeEqual(secret, acct.userKey)) return oauthError('invalid_client');
    apiKey = id;
  } else if (grant === 'refresh_token') {
    apiKey = sim.tokens.refreshOwner(form.get('refresh_token') ?? '');
    if (!apiKey) return oauthError('invalid_grant');
    if (headerKey && !safeEqual(headerKey, apiKey)) return oauthError('invalid_client');
  } else {
    return oauthError('unsupported_grant_type');
  }
  const ttl = sim.faults.s.token_ttl_s ?? sim.cfg.tokenTtl;
  return json(200, sim.tokens.issue(apiKey, ttl, now), { 'cache-control': 'no-store', pragma: 'no-cache' });
}

export default [
  { method: 'POST', base: '/v4', path: '/auth/token', auth: false, handler: token },
];
