// views/live-pages.js — the routes of the pages added for the live
// dashboard (issue 17), in one place so app.js lists them with one line:
// the manager's board, reports, SMS number settings, webhook events and the
// platform-admin MightyCall pages. Same shape as the routes in app.js.
import board from './board.js';
import reports from './reports.js';
import smsNumbers from './sms-numbers.js';
import webhookEvents from './webhook-events.js';
import platformMightycall from './platform-mightycall.js';

export const LIVE_PAGES = [
  { path: '/reports', view: reports, title: 'Reports', access: 'agent', nav: 'Reports', group: 'main' },
  { path: '/board', view: board, title: 'Agents board', access: 'manager', nav: 'Agents board', group: 'main' },
  { path: '/webhook-events', view: webhookEvents, title: 'Webhook events', access: 'manager', nav: 'Webhook events', group: 'main' },
  { path: '/admin/sms-numbers', view: smsNumbers, title: 'SMS numbers', access: 'org_admin', nav: 'SMS numbers', group: 'admin' },
  { path: '/platform/mightycall', view: platformMightycall, title: 'MightyCall (all organisations)', access: 'platform_admin', nav: 'MightyCall', group: 'platform' },
];
