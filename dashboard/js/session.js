// session.js — who is signed in and in which organisation: login/logout, the
// profile (global role), the user's orgs with their org role, the current org
// (remembered per browser), and the role checks the views and nav use.
import { api, asPage, setAuth, signOutEverywhere, isSignedIn } from './api.js';
import { setZone } from './format.js';

const ORG_KEY = 'vs.org';
const RANK = { agent: 1, manager: 2, org_admin: 3 };
const events = new EventTarget();

const state = { profile: null, orgs: [], orgId: null, loaded: false };

export function onSession(fn) {
  const l = () => fn(state);
  events.addEventListener('change', l);
  return () => events.removeEventListener('change', l);
}
function changed() { syncZone(); events.dispatchEvent(new Event('change')); }
// every date and time on the pages is shown in the current org's zone
function syncZone() { setZone(state.orgs.find((o) => o.id === state.orgId)?.timezone ?? null); }

export async function signIn(email, password) {
  const res = await api.post('/api/auth/login', { email, password }, { auth: false });
  setAuth(res);
  if (res.user) state.profile = { ...res.user };
  await loadContext();
}

export function signOut() {
  reset();
  return signOutEverywhere();
}

export function reset() {
  state.profile = null; state.orgs = []; state.orgId = null; state.loaded = false;
  syncZone();
}

/** Load profile + orgs (after login, on page load with a stored token, after onboarding). */
export async function loadContext() {
  const [profile, orgsRes] = await Promise.all([api.get('/api/user/profile'), api.get('/api/user/orgs')]);
  state.profile = profile;
  state.orgs = asPage(orgsRes).data.map((o) => ({ ...o, id: o.id ?? o.org_id, role: o.role ?? o.org_role }));
  const stored = readStoredOrg();
  if (stored && !state.orgs.some((o) => o.id === stored.id) && isPlatformAdmin()) {
    // a platform admin may open an org they are not a member of (Admin → Organisations)
    state.orgs.push({ ...stored, role: 'platform_admin', visiting: true });
  }
  const pick = state.orgs.find((o) => o.id === stored?.id) ?? state.orgs[0] ?? null;
  state.orgId = pick?.id ?? null;
  if (pick) storeOrg(pick);
  state.loaded = true;
  changed();
  return state;
}

function readStoredOrg() {
  try { return JSON.parse(localStorage.getItem(ORG_KEY) ?? 'null'); } catch { return null; }
}
function storeOrg(o) {
  localStorage.setItem(ORG_KEY, JSON.stringify({ id: o.id, name: o.name, timezone: o.timezone }));
}

export function setOrg(id) {
  const o = state.orgs.find((x) => x.id === id);
  if (!o || o.id === state.orgId) return;
  state.orgId = o.id;
  storeOrg(o);
  changed();
}

/** Open any org as a platform admin (not necessarily a member). */
export function visitOrg(org) {
  if (!state.orgs.some((o) => o.id === org.id)) state.orgs.push({ ...org, role: 'platform_admin', visiting: true });
  state.orgId = null;
  setOrg(org.id);
}

/** Keep an org's time zone current when another API answer tells it (GET /api/user/orgs gives it first). */
export function noteTimezone(id, timezone) {
  const o = state.orgs.find((x) => x.id === id);
  if (o && timezone && o.timezone !== timezone) {
    o.timezone = timezone;
    if (id === state.orgId) { storeOrg(o); syncZone(); }
  }
}

/** Forget an org that was deleted (or that we lost access to). */
export function dropOrg(id) {
  state.orgs = state.orgs.filter((o) => o.id !== id);
  if (state.orgId === id) {
    state.orgId = state.orgs[0]?.id ?? null;
    if (state.orgs[0]) storeOrg(state.orgs[0]); else localStorage.removeItem(ORG_KEY);
  }
  changed();
}

export const signedIn = () => isSignedIn();
export const loaded = () => state.loaded;
export const profile = () => state.profile;
export const orgs = () => state.orgs;
export const currentOrg = () => state.orgs.find((o) => o.id === state.orgId) ?? null;
export const isPlatformAdmin = () => state.profile?.global_role === 'platform_admin';

/** The effective org role: platform admins act as org_admin everywhere. */
export function orgRole() {
  if (isPlatformAdmin()) return 'org_admin';
  return currentOrg()?.role ?? null;
}

/** true when the current org role is at least `role` (agent < manager < org_admin). */
export function atLeast(role) {
  return (RANK[orgRole()] ?? 0) >= RANK[role];
}

export function roleLabel(r) {
  return ({ agent: 'Agent', manager: 'Manager', org_admin: 'Org admin', platform_admin: 'Platform admin', user: 'User' })[r] ?? r ?? '';
}
