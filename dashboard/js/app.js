// app.js — start-up and the page shell: restores the session, defines the
// routes (one view module each, with who may see it), draws the header, org
// switcher and navigation for the current role, and sends the user to the
// login page when the token is gone.
import { h, mount } from './dom.js';
import { onAuth, isSignedIn } from './api.js';
import * as session from './session.js';
import { createRouter } from './router.js';
import { describe, errorBox } from './errors.js';
import { toast, clearToasts, pageOf } from './notify.js';
import { renderAgentStatus } from './components/agent-status.js';
import login from './views/login.js';
import onboard from './views/onboard.js';
import invite from './views/invite.js';
import invitations from './views/invitations.js';
import resetPassword from './views/reset.js';
import changePassword from './views/password.js';
import overview from './views/overview.js';
import calls from './views/calls.js';
import recordings from './views/recordings.js';
import voicemails from './views/voicemails.js';
import threads from './views/threads.js';
import smsLog from './views/sms.js';
import numbers from './views/numbers.js';
import contacts from './views/contacts.js';
import sync from './views/sync.js';
import members from './views/members.js';
import extensions from './views/extensions.js';
import integrations from './views/integrations.js';
import apiKeys from './views/api-keys.js';
import orgsAdmin from './views/orgs.js';
import settings from './views/settings.js';
import { LIVE_PAGES } from './views/live-pages.js';
import notFound from './views/not-found.js';

// access: 'any' (signed in or not) | 'public' | 'user' (signed in) | an org role ('agent' < 'manager' < 'org_admin') | 'platform_admin'
const routes = [
  { path: '/login', view: login, title: 'Sign in', access: 'public' },
  { path: '/onboard', view: onboard, title: 'Create your organisation', access: 'user' },
  { path: '/invite', view: invite, title: 'Invitation', access: 'any' },
  { path: '/reset', view: resetPassword, title: 'Reset password', access: 'any' },
  { path: '/invitations', view: invitations, title: 'Invitations', access: 'user', nav: 'Invitations', group: 'account' },
  { path: '/account/password', view: changePassword, title: 'Change password', access: 'user', nav: 'Password', group: 'account' },
  { path: '/overview', view: overview, title: 'Overview', access: 'agent', nav: 'Overview', group: 'main' },
  { path: '/calls', view: calls, title: 'Calls', access: 'agent', nav: 'Calls', group: 'main' },
  { path: '/recordings', view: recordings, title: 'Recordings', access: 'agent', nav: 'Recordings', group: 'main' },
  { path: '/voicemails', view: voicemails, title: 'Voicemails', access: 'agent', nav: 'Voicemails', group: 'main' },
  { path: '/messages', view: threads, title: 'Messages', access: 'agent', nav: 'Messages', group: 'main' },
  { path: '/messages/:threadId', view: threads, title: 'Conversation', access: 'agent' },
  { path: '/sms', view: smsLog, title: 'SMS log', access: 'agent', nav: 'SMS log', group: 'main' },
  { path: '/contacts', view: contacts, title: 'Contacts', access: 'agent', nav: 'Contacts', group: 'main' },
  { path: '/numbers', view: numbers, title: 'Phone numbers', access: 'agent', nav: 'Phone numbers', group: 'main' },
  { path: '/extensions', view: extensions, title: 'Extensions', access: 'agent', nav: 'Extensions', group: 'main' },
  { path: '/sync', view: sync, title: 'Sync', access: 'manager', nav: 'Sync', group: 'main' },
  ...LIVE_PAGES,
  { path: '/admin/members', view: members, title: 'Members', access: 'org_admin', nav: 'Members', group: 'admin' },
  { path: '/admin/integrations', view: integrations, title: 'Integrations', access: 'org_admin', nav: 'Integrations', group: 'admin' },
  { path: '/admin/settings', view: settings, title: 'Organisation settings', access: 'org_admin', nav: 'Settings', group: 'admin' },
  { path: '/admin/api-keys', view: apiKeys, title: 'API keys', access: 'org_admin', nav: 'API keys', group: 'admin' },
  { path: '/admin/orgs', view: orgsAdmin, title: 'Organisations', access: 'platform_admin', nav: 'Organisations', group: 'platform' },
];

const ORG_ROLES = ['agent', 'manager', 'org_admin'];
const main = document.getElementById('main');
let loginNotice = null;
let started = false;
// shown on the login page until the next successful sign-in (it may render more than once)
const takeLoginNotice = () => loginNotice;

function allowed(route) {
  if (route.access === 'any' || route.access === 'public' || route.access === 'user') return true;
  if (route.access === 'platform_admin') return session.isPlatformAdmin();
  return !!session.currentOrg() && session.atLeast(route.access);
}

function guard(route, { path }) {
  if (route.access === 'any') return null;
  if (route.access === 'public') {
    return isSignedIn() && session.loaded() ? homePath() : null;
  }
  if (!isSignedIn() || !session.loaded()) {
    if (path !== '/login') sessionStorage.setItem('vs.after-login', location.hash);
    return '/login';
  }
  if (route.path === '/onboard') return session.orgs().length ? '/overview' : null;
  if (ORG_ROLES.includes(route.access) && !session.currentOrg()) return homePath();
  if (!allowed(route)) {
    toast(`You do not have access to ${route.title}.`, 'error');
    return homePath();
  }
  return null;
}

function homePath() {
  if (session.currentOrg()) return '/overview';
  return session.isPlatformAdmin() ? '/admin/orgs' : '/onboard';
}

// where focus was when the page began to change (onRendered below leaves it alone once the user moves it)
let focusAtNavigation = null;
window.addEventListener('hashchange', () => { focusAtNavigation = document.activeElement; });

const router = createRouter({
  routes, outlet: main, guard, fallback: '/overview',
  notFound: { path: '*', view: notFound, title: 'Page not found', access: 'user' },
  context: { enter: () => enter(), takeLoginNotice: () => takeLoginNotice() },
  onRendered({ route, error }) {
    if (error) {
      main.append(errorBox(error));
      return;
    }
    markNav(route);
    closeNav();
    // the new page's heading takes focus, unless the user has moved it since the page began to change
    // (a keyboard user who tabbed into the navigation while the page loaded keeps their place)
    const h1 = main.querySelector('h1');
    const active = document.activeElement;
    const untouched = !active || active === document.body || active === focusAtNavigation;
    if (h1 && active !== h1 && !main.contains(active) && untouched) h1.focus({ preventScroll: false });
  },
});

// ---- shell --------------------------------------------------------------------
const topbar = document.getElementById('topbar');
const nav = document.getElementById('nav');
const navToggle = document.getElementById('nav-toggle');

function renderShell() {
  const signed = isSignedIn() && session.loaded();
  topbar.hidden = !signed;
  nav.hidden = !signed;
  document.body.classList.toggle('signed-out', !signed);
  if (!signed) return;
  const p = session.profile();
  document.getElementById('user-name').textContent = p?.full_name || p?.email || '';
  renderOrgSwitch();
  renderNav();
  renderAgentStatus(document.getElementById('agent-status'));
}

function renderOrgSwitch() {
  const box = document.getElementById('org-switch');
  const list = session.orgs();
  const cur = session.currentOrg();
  if (list.length <= 1) {
    mount(box, cur ? h('span', { class: 'org-name' }, h('span', { class: 'sr-only' }, 'Organisation: '), cur.name,
      h('span', { class: 'org-role' }, session.roleLabel(cur.role))) : null);
    return;
  }
  mount(box,
    h('label', { for: 'org-select', class: 'sr-only' }, 'Organisation'),
    h('select', { id: 'org-select', onchange: (e) => { session.setOrg(e.target.value); } },
      list.map((o) => h('option', { value: o.id, selected: o.id === cur?.id }, `${o.name} (${session.roleLabel(o.role)})`))));
}

function renderNav() {
  const groups = [['main', null], ['admin', 'Organisation admin'], ['platform', 'Platform'], ['account', 'Your account']];
  const items = routes.filter((r) => r.nav && allowed(r));
  nav.hidden = items.length === 0;
  document.body.classList.toggle('no-nav', items.length === 0);
  mount(nav, groups.map(([g, label]) => {
    const links = items.filter((r) => r.group === g);
    if (!links.length) return null;
    const headId = `nav-${g}`;
    return h('div', { class: 'nav-group' },
      label ? h('h2', { class: 'nav-heading', id: headId }, label) : null,
      h('ul', { 'aria-labelledby': label ? headId : undefined },
        links.map((r) => h('li', null, h('a', { href: `#${r.path}`, dataset: { path: r.path } }, r.nav)))));
  }));
  markNav(null);
}

function markNav(route) {
  const path = route?.path ?? router.current().path;
  for (const a of nav.querySelectorAll('a')) {
    const on = path === a.dataset.path || (a.dataset.path !== '/' && path.startsWith(`${a.dataset.path}/`));
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

function closeNav() {
  document.body.classList.remove('nav-open');
  navToggle.setAttribute('aria-expanded', 'false');
}

navToggle.addEventListener('click', () => {
  const open = !document.body.classList.contains('nav-open');
  document.body.classList.toggle('nav-open', open);
  navToggle.setAttribute('aria-expanded', String(open));
  if (open) nav.querySelector('a')?.focus();
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && document.body.classList.contains('nav-open')) { closeNav(); navToggle.focus(); }
});
document.getElementById('skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  (main.querySelector('h1') ?? main).focus();
});
document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  loginNotice = { kind: 'info', text: 'You have signed out.' };
  renderShell();
  router.navigate('/login');
});

onAuth(({ signedIn, reason }) => {
  if (signedIn) return;
  session.reset();
  renderShell();
  if (reason === 'expired') {
    loginNotice = { kind: 'error', text: 'Your session has expired. Please sign in again.' };
    if (!location.hash.startsWith('#/login')) sessionStorage.setItem('vs.after-login', location.hash);
    if (started) router.navigate('/login');
    else history.replaceState(null, '', '#/login'); // start() renders it
  }
});

let lastOrg = null;
session.onSession(() => {
  renderShell();
  const cur = session.currentOrg()?.id ?? null;
  if (lastOrg !== null && cur !== lastOrg && !location.hash.startsWith('#/login')) {
    // org switched: show the same page for the new org (or go home if it no longer fits)
    const r = routes.find((x) => x.path === router.current().path);
    if (r && r.path.includes(':')) router.navigate('/overview'); else router.reload();
  }
  lastOrg = cur;
});

/** Called by the login and onboarding views (ctx.enter) once the session is ready. */
function enter() {
  loginNotice = null;
  renderShell();
  const back = sessionStorage.getItem('vs.after-login');
  sessionStorage.removeItem('vs.after-login');
  if (back && back.startsWith('#/') && !back.startsWith('#/login') && !back.startsWith('#/onboard')) {
    location.hash = back;
    router.reload();
  } else router.navigate(homePath());
}

// Safety net: a failure nobody handled becomes a visible message, not a silent one.
window.addEventListener('unhandledrejection', (e) => {
  if (e.reason?.name === 'AbortError') { e.preventDefault(); return; }
  e.preventDefault();
  toast(describe(e.reason), 'error');
});

async function start() {
  if (isSignedIn()) {
    try {
      await session.loadContext();
    } catch (err) {
      if (err?.status !== 401) {
        mount(main, errorBox(err), h('p', null, h('button', { type: 'button', class: 'btn', onclick: () => location.reload() }, 'Reload')));
        return;
      }
    }
  }
  lastOrg = session.currentOrg()?.id ?? null;
  renderShell();
  started = true;
  // notices never carry over to the next page (registered before the router's own listener, so a
  // notice the new page shows while rendering stays)
  window.addEventListener('hashchange', (e) => { if (pageOf(e.oldURL) !== pageOf(e.newURL)) clearToasts(); });
  router.start();
}

start();
