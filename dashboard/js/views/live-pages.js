// views/live-pages.js — the routes of the pages added for the live
// dashboard (issue 17), in one place so app.js lists them with one line:
// the manager's board, reports, SMS number settings, webhook events and the
// platform-admin MightyCall pages. Same shape as the routes in app.js.
import board from './board.js';
import reports from './reports.js';

export const LIVE_PAGES = [
  { path: '/reports', view: reports, title: 'Reports', access: 'agent', nav: 'Reports', group: 'main' },
  { path: '/board', view: board, title: 'Agents board', access: 'manager', nav: 'Agents board', group: 'main' },
];
