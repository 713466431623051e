// Account-level resources: GET /ping (free, no auth), /phonenumbers,
// /phonenumbers/{phoneNumber}, /team (no envelope), /profile,
// /profile/{extension}, GET /profile/status, PUT /profile/status/{status}.

import { json, mcError } from '../http.mjs';
import { digits } from '../format.mjs';
import { ok } from './paging.mjs';

const ping = () => ok('3');

const phoneNumbers = ({ account: ds }) =>
  ok({ phoneNumbers: ds.numbers, deletedPhoneNumbers: ds.deletedNumbers, total: ds.numbers.length });

function phoneNumber({ account: ds, params }) {
  const want = digits(params.phoneNumber);
  const p = ds.numbers.find((n) => digits(n.number) === want);
  return p ? ok(p) : mcError(400, 'Number not found');
}

const team = ({ account: ds }) => json(200, {
  users: ds.users.map((u) => ({ fullName: u.fullName, id: u.id, role: u.role, avatarUrl: null })),
  groups: ds.groups,
  vmboxes: ds.vmboxes,
});

const profileOf = (u) => ({
  firstName: u.firstName, lastName: u.lastName, email: u.email, extension: u.extension,
  role: u.role === 'admin' ? 'admin' : 'user',
});

const profile = ({ account: ds }) => ok(profileOf(ds.users[0]));

function profileByExt({ account: ds, params }) {
  const i = ds.extIndex.get(params.extension);
  return i === undefined ? mcError(400, 'User profile not found') : ok(profileOf(ds.users[i]));
}

const getStatus = ({ account: ds }) => ok({ status: ds.profileStatus });

function putStatus({ account: ds, params }) {
  const v = String(params.status).toLowerCase();
  if (v !== 'available' && v !== 'dnd') {
    return mcError(400, 'User status not found', { status: [`The value '${params.status}' is not valid for UserStatus.`] });
  }
  ds.profileStatus = v;
  return ok({ status: v });
}

export default [
  { method: 'GET', path: '/ping', auth: false, quota: false, handler: ping },
  { method: 'GET', path: '/phonenumbers', handler: phoneNumbers },
  { method: 'GET', path: '/phonenumbers/{phoneNumber}', handler: phoneNumber },
  { method: 'GET', path: '/team', handler: team },
  { method: 'GET', path: '/profile', handler: profile },
  { method: 'GET', path: '/profile/status', handler: getStatus },
  { method: 'PUT', path: '/profile/status/{status}', handler: putStatus },
  { method: 'GET', path: '/profile/{extension}', handler: profileByExt },
];
