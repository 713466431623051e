// data_contacts.test.mjs — contacts CRUD under /api/orgs/:orgId/contacts.
// Orgs without an integration keep contacts locally (our etags, conflicts on
// stale ones). Orgs with an integration push every change to MightyCall (the
// simulator) first: the change is checked there, a stale etag (MightyCall's
// 412 ContactWasModified) is a 409 and refreshes our copy, and when the
// simulator refuses or fails (/__sim/faults) the client gets 502/503 in plain
// words while nothing at all is written here (rows and activity unchanged).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { allByCursor, dataOrg, lit, sqlNum } from './data_helpers.mjs';
import { orgWithIntegration, setFaults, simClient, simControl, vsSync } from './sync_helpers.mjs';
import { userWithRole } from './fixtures.mjs';

useSourceAddress('127.0.0.42');

const url = (org, rest = '') => `/api/orgs/${org}/contacts${rest}`;

describe('local contacts (no integration)', () => {
  let L; let other;
  before(async () => {
    L = await dataOrg({ roles: ['agent', 'manager'] });
    other = await dataOrg({ roles: ['manager'] });
  });

  test('create → 201 with the stored shape; get; listed; activity recorded', async () => {
    const r = await api.post(url(L.id), {
      first_name: 'Ada', last_name: 'Lovelace', phone: '(212) 555-0199', email: 'ada@example.test',
      tags: ['vip'], comment: 'first programmer',
    }, { headers: L.manager.headers });
    assert.equal(r.status, 201, r.text);
    const c = r.json;
    assert.match(c.id, /^[0-9a-f-]{36}$/);
    assert.equal(c.display_name, 'Ada Lovelace');
    assert.equal(c.first_name, 'Ada');
    assert.equal(c.last_name, 'Lovelace');
    assert.equal(c.phone, '+12125550199');
    assert.equal(c.email, 'ada@example.test');
    assert.deepEqual(c.tags, ['vip']);
    assert.equal(c.comment, 'first programmer');
    assert.deepEqual(c.channels, [{ phone: '+12125550199' }, { email: 'ada@example.test' }]);
    assert.equal(c.synced, false);
    assert.equal(c.external_id, null);
    assert.match(c.etag, /^[0-9a-f]{16}$/);
    const g = await api.get(url(L.id, `/${c.id}`), { headers: L.agent.headers });
    assert.equal(g.status, 200);
    assert.deepEqual(g.json, c);
    const l = await api.get(url(L.id), { headers: L.agent.headers });
    assert.ok(l.json.data.some((x) => x.id === c.id));
    assert.equal(sqlNum(`SELECT COUNT(*) FROM activity_log WHERE org_id = ${lit(L.id)} AND type = 'contact_created'`), 1);
  });

  test('update merges the given fields, null clears, etag changes; a stale etag is 409', async () => {
    const c = (await api.post(url(L.id), { first_name: 'Grace', last_name: 'Hopper', phone: '+13125550100' }, { headers: L.manager.headers })).json;
    const u = await api.put(url(L.id, `/${c.id}`), { last_name: 'Brewster Hopper', email: 'grace@example.test', etag: c.etag }, { headers: L.manager.headers });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.json.first_name, 'Grace');
    assert.equal(u.json.last_name, 'Brewster Hopper');
    assert.equal(u.json.display_name, 'Grace Brewster Hopper');
    assert.equal(u.json.phone, '+13125550100');
    assert.equal(u.json.email, 'grace@example.test');
    assert.notEqual(u.json.etag, c.etag);
    const stale = await api.put(url(L.id, `/${c.id}`), { comment: 'lost update', etag: c.etag }, { headers: L.manager.headers });
    assertError(assert, stale, 409, 'CONFLICT');
    assert.equal(stale.json.details.etag, u.json.etag);
    const viaHeader = await api.put(url(L.id, `/${c.id}`), { comment: 'x' }, { headers: { ...L.manager.headers, 'if-match': `"${c.etag}"` } });
    assertError(assert, viaHeader, 409, 'CONFLICT');
    const cleared = await api.put(url(L.id, `/${c.id}`), { phone: null, comment: 'no phone' }, { headers: L.manager.headers });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(cleared.json.phone, null);
    assert.deepEqual(cleared.json.channels, [{ email: 'grace@example.test' }]);
    const empty = await api.put(url(L.id, `/${c.id}`), { first_name: null, last_name: null, email: null }, { headers: L.manager.headers });
    assertError(assert, empty, 400, 'BAD_REQUEST');
  });

  test('delete → 200, then 404 everywhere; a stale If-Match is 409', async () => {
    const c = (await api.post(url(L.id), { first_name: 'Temp' }, { headers: L.manager.headers })).json;
    const stale = await api.del(url(L.id, `/${c.id}`), { headers: { ...L.manager.headers, 'if-match': 'deadbeefdeadbeef' } });
    assertError(assert, stale, 409, 'CONFLICT');
    const d = await api.del(url(L.id, `/${c.id}`), { headers: { ...L.manager.headers, 'if-match': c.etag } });
    assert.equal(d.status, 200, d.text);
    assert.deepEqual(d.json, { success: true });
    for (const r of [
      await api.get(url(L.id, `/${c.id}`), { headers: L.agent.headers }),
      await api.put(url(L.id, `/${c.id}`), { first_name: 'Back' }, { headers: L.manager.headers }),
      await api.del(url(L.id, `/${c.id}`), { headers: L.manager.headers }),
    ]) {
      assertError(assert, r, 404, 'NOT_FOUND');
      assert.equal(r.json.details.resource, 'contact');
    }
    const l = await api.get(url(L.id), { headers: L.agent.headers });
    assert.ok(!l.json.data.some((x) => x.id === c.id));
  });

  test('list: ordered by name, search by name / phone / email prefix, cursor paging, exact total', async () => {
    const org = await dataOrg({ roles: ['agent', 'manager'] });
    const names = ['Zed', 'amy', 'Bob', 'Carla', 'Dan', 'Eve', 'Bo%b', 'Ann'];
    for (const [i, n] of names.entries()) {
      const r = await api.post(url(org.id), { first_name: n, phone: `+1415555${1000 + i}`, email: `${n.toLowerCase().replace('%', '')}@ex${i}.test` }, { headers: org.manager.headers });
      assert.equal(r.status, 201, r.text);
    }
    const all = await api.get(url(org.id, '?limit=100'), { headers: org.agent.headers });
    assert.equal(all.json.total, names.length);
    const sorted = all.json.data.map((c) => c.display_name);
    assert.deepEqual(sorted, ['amy', 'Ann', 'Bo%b', 'Bob', 'Carla', 'Dan', 'Eve', 'Zed']);
    const paged = await allByCursor(url(org.id), org.agent.headers, { limit: 3 });
    assert.deepEqual(paged.map((c) => c.display_name), sorted);
    const search = async (q) => (await api.get(url(org.id, `?search=${encodeURIComponent(q)}`), { headers: org.agent.headers })).json;
    let s = await search('a');
    assert.deepEqual(s.data.map((c) => c.display_name), ['amy', 'Ann']);
    assert.equal(s.total, 2);
    s = await search('Bo%');
    assert.deepEqual(s.data.map((c) => c.display_name), ['Bo%b'], 'LIKE wildcards are literal');
    s = await search('415 555 1003');
    assert.deepEqual(s.data.map((c) => c.display_name), ['Carla']);
    s = await search('+1415555100');
    assert.equal(s.total, 8);
    s = await search('eve@');
    assert.deepEqual(s.data.map((c) => c.display_name), ['Eve']);
    s = await search('nobody');
    assert.equal(s.total, 0);
  });

  test('company (local): set on create, changed, cleared; found by its prefix; bounded; other orgs 404', async () => {
    const org = await dataOrg({ roles: ['agent', 'manager'] });
    const h = org.manager.headers;
    const c = (await api.post(url(org.id), { first_name: 'Irene', last_name: 'Adler', company: 'Acme Widgets' }, { headers: h }));
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.company, 'Acme Widgets');
    assert.equal(c.json.display_name, 'Irene Adler', 'the company is not part of the name');
    await api.post(url(org.id), { first_name: 'Acmeson', company: 'Globex' }, { headers: h }); // a name starting "Acme"
    await api.post(url(org.id), { first_name: 'Hank', company: 'Initech' }, { headers: h });
    await api.post(url(org.id), { first_name: 'Nobody', company: 'Big Acme' }, { headers: h }); // not a prefix
    const search = async (q) => (await api.get(url(org.id, `?search=${encodeURIComponent(q)}`), { headers: org.agent.headers })).json;
    let s = await search('acme');
    assert.deepEqual(s.data.map((x) => x.display_name), ['Acmeson', 'Irene Adler'], 'company prefix, any case, united with names');
    assert.equal(s.total, 2);
    s = await search('INITE');
    assert.deepEqual(s.data.map((x) => [x.display_name, x.company]), [['Hank', 'Initech']]);
    s = await search('Acme W');
    assert.deepEqual(s.data.map((x) => x.display_name), ['Irene Adler'], 'a prefix with a space');
    assert.equal((await search('widgets')).total, 0, 'only the start of the company');
    const g = await api.get(url(org.id, `/${c.json.id}`), { headers: org.agent.headers });
    assert.equal(g.json.company, 'Acme Widgets');
    assert.equal((await api.get(url(org.id, '?limit=100'), { headers: org.agent.headers })).json.data.find((x) => x.id === c.json.id).company, 'Acme Widgets');
    // changed with the etag; other fields leave it alone; null and "" clear it
    const u = await api.put(url(org.id, `/${c.json.id}`), { company: 'Umbrella Corp', etag: c.json.etag }, { headers: h });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.json.company, 'Umbrella Corp');
    assert.notEqual(u.json.etag, c.json.etag, 'a company change is a change: new etag');
    assertError(assert, await api.put(url(org.id, `/${c.json.id}`), { company: 'Lost', etag: c.json.etag }, { headers: h }), 409, 'CONFLICT');
    const kept = await api.put(url(org.id, `/${c.json.id}`), { comment: 'met in Prague' }, { headers: h });
    assert.equal(kept.json.company, 'Umbrella Corp');
    assert.deepEqual((await search('umbrella')).data.map((x) => x.id), [c.json.id]);
    assert.equal((await search('acme w')).total, 0, 'the old company is no longer found');
    const cleared = await api.put(url(org.id, `/${c.json.id}`), { company: null }, { headers: h });
    assert.equal(cleared.json.company, null);
    assert.equal(sql(`SELECT company IS NULL FROM contacts WHERE id = ${lit(c.json.id)}`)[0][0], '1');
    await api.put(url(org.id, `/${c.json.id}`), { company: 'Again' }, { headers: h });
    assert.equal((await api.put(url(org.id, `/${c.json.id}`), { company: '' }, { headers: h })).json.company, null, '"" clears');
    // bounds: 200 characters (not bytes) fit, 201 do not; no control characters; a string
    const max = 'Ж'.repeat(200);
    const big = await api.put(url(org.id, `/${c.json.id}`), { company: max }, { headers: h });
    assert.equal(big.status, 200, big.text);
    assert.equal(big.json.company, max);
    for (const company of ['c'.repeat(201), 42, 'tab\there', ['Acme']]) {
      const r = await api.put(url(org.id, `/${c.json.id}`), { company }, { headers: h });
      assertError(assert, r, 400, 'BAD_REQUEST');
      assert.equal(r.json.details.field, 'company', JSON.stringify(company));
    }
    assert.equal((await api.get(url(org.id, `/${c.json.id}`), { headers: h })).json.company, max, 'a refused write changed nothing');
    // a company alone is no contact
    assertError(assert, await api.post(url(org.id), { company: 'Only A Company' }, { headers: h }), 400, 'BAD_REQUEST');
    // agents read it but cannot write it; another org sees neither the contact nor it in its search
    assertError(assert, await api.put(url(org.id, `/${c.json.id}`), { company: 'X' }, { headers: org.agent.headers }), 403, 'FORBIDDEN');
    for (const r of [
      await api.get(url(L.id, `/${c.json.id}`), { headers: L.manager.headers }),
      await api.put(url(L.id, `/${c.json.id}`), { company: 'Hijack' }, { headers: L.manager.headers }),
    ]) {
      assertError(assert, r, 404, 'NOT_FOUND');
      assert.equal(r.json.details.resource, 'contact');
    }
    assertError(assert, await api.get(url(org.id, `/${c.json.id}`), { headers: other.manager.headers }), 404, 'NOT_FOUND');
    assert.equal((await api.get(url(L.id, '?search=initech'), { headers: L.agent.headers })).json.total, 0);
    assert.equal((await api.get(url(org.id, `/${c.json.id}`), { headers: h })).json.company, max, 'untouched by the other org');
  });

  test('validation: 400 naming the field; unknown fields refused; empty contact refused', async () => {
    const bad = [
      [{}, 'first_name'],
      [{ first_name: 42 }, 'first_name'],
      [{ first_name: 'x'.repeat(201) }, 'first_name'],
      [{ first_name: 'A', phone: 'call me' }, 'phone'],
      [{ first_name: 'A', email: 'not-an-email' }, 'email'],
      [{ first_name: 'A', tags: 'vip' }, 'tags'],
      [{ first_name: 'A', tags: [1] }, 'tags'],
      [{ first_name: 'A', channels: [{ phone: '+12125550100', email: 'a@b.test' }] }, 'channels[0]'],
      [{ first_name: 'A', channels: [{ fax: '123' }] }, 'channels[0]'],
      [{ first_name: 'A', nickname: 'Al' }, 'nickname'],
      [{ first_name: 'A', comment: 'c'.repeat(2001) }, 'comment'],
    ];
    for (const [body, field] of bad) {
      const r = await api.post(url(L.id), body, { headers: L.manager.headers });
      assertError(assert, r, 400, 'BAD_REQUEST');
      assert.equal(r.json.details.field, field, `${JSON.stringify(body)}: ${r.text}`);
    }
    const notObject = await api.post(url(L.id), [1, 2], { headers: L.manager.headers });
    assertError(assert, notObject, 400, 'BAD_REQUEST');
    const long = await api.get(url(L.id, `?search=${'q'.repeat(101)}`), { headers: L.agent.headers });
    assertError(assert, long, 400, 'BAD_REQUEST');
    assert.equal(long.json.details.field, 'search');
  });

  test('roles and isolation: agents and API keys read but do not write; other orgs are 404', async () => {
    const c = (await api.post(url(L.id), { first_name: 'Shared' }, { headers: L.manager.headers })).json;
    assert.equal((await api.get(url(L.id, `/${c.id}`), { headers: L.key.headers })).status, 200);
    assertError(assert, await api.post(url(L.id), { first_name: 'No' }, { headers: L.agent.headers }), 403, 'FORBIDDEN');
    assertError(assert, await api.put(url(L.id, `/${c.id}`), { first_name: 'No' }, { headers: L.agent.headers }), 403, 'FORBIDDEN');
    assertError(assert, await api.del(url(L.id, `/${c.id}`), { headers: L.key.headers }), 403, 'FORBIDDEN');
    const admin = await userWithRole(L.id, 'org_admin');
    assert.equal((await api.put(url(L.id, `/${c.id}`), { comment: 'ok' }, { headers: admin.headers })).status, 200);
    // another org's manager: the org does not exist for them
    for (const r of [
      await api.get(url(L.id, `/${c.id}`), { headers: other.manager.headers }),
      await api.put(url(L.id, `/${c.id}`), { first_name: 'X' }, { headers: other.manager.headers }),
    ]) {
      assertError(assert, r, 404, 'NOT_FOUND');
      assert.equal(r.json.details.resource, 'organization');
    }
    // this contact under the other org's own path: not theirs
    for (const r of [
      await api.get(url(other.id, `/${c.id}`), { headers: other.manager.headers }),
      await api.put(url(other.id, `/${c.id}`), { first_name: 'X' }, { headers: other.manager.headers }),
      await api.del(url(other.id, `/${c.id}`), { headers: other.manager.headers }),
      await api.get(url(L.id, `/${randomUUID()}`), { headers: L.agent.headers }),
      await api.get(url(L.id, '/not-a-uuid'), { headers: L.agent.headers }),
    ]) {
      assertError(assert, r, 404, 'NOT_FOUND');
      assert.equal(r.json.details.resource, 'contact');
    }
    assert.equal(sqlNum(`SELECT COUNT(*) FROM contacts WHERE id = ${lit(c.id)} AND deleted_at IS NULL AND comment = 'ok'`), 1);
  });
});

describe('contacts kept in step with MightyCall (simulator)', () => {
  let S; let mgr; let sim;
  const local = (id) => sql(`SELECT external_id, etag, first_name, last_name, deleted_at IS NOT NULL FROM contacts WHERE id = ${lit(id)}`)[0];
  const snapshot = (orgId) => ({
    contacts: sql(`SELECT id, etag, first_name, last_name, COALESCE(comment, ''), deleted_at IS NULL FROM contacts WHERE org_id = ${lit(orgId)} ORDER BY id`),
    activity: sqlNum(`SELECT COUNT(*) FROM activity_log WHERE org_id = ${lit(orgId)} AND type LIKE 'contact_%'`),
  });
  const upstream = async (ext) => {
    const r = await sim.getJson(`/contacts/${ext}`);
    if (r.status !== 200 && r.status !== 404) throw new Error(`simulator GET /contacts/${ext} → ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };

  before(async () => {
    await setFaults({});
    const o = await orgWithIntegration({ timezone: 'UTC' });
    S = o.org;
    mgr = await userWithRole(S.id, 'manager');
    sim = await simClient();
  });
  after(async () => { await setFaults({}); });

  test('create goes to MightyCall first; our row carries its id and etag', async () => {
    const r = await api.post(url(S.id), { first_name: 'Linus', last_name: 'Upstream', phone: '+16175550123', tags: ['api'] }, { headers: mgr.headers });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.synced, true);
    assert.match(r.json.external_id, /^[0-9a-f]{24}$/);
    const up = await upstream(r.json.external_id);
    assert.equal(up.status, 200);
    const uc = up.body.data.contacts[0];
    assert.equal(uc.firstName, 'Linus');
    assert.equal(uc.lastName, 'Upstream');
    assert.deepEqual(uc.tags, ['api']);
    assert.equal(uc.channels[0].phone, '+16175550123');
    assert.equal(r.json.etag, uc.etag);
    assert.equal(r.json.phone, '+16175550123');
  });

  test('update is applied upstream (new etag there and here); delete removes it upstream', async () => {
    const c = (await api.post(url(S.id), { first_name: 'Mary', last_name: 'Before', email: 'mary@example.test' }, { headers: mgr.headers })).json;
    const u = await api.put(url(S.id, `/${c.id}`), { last_name: 'After', etag: c.etag }, { headers: mgr.headers });
    assert.equal(u.status, 200, u.text);
    const up = (await upstream(c.external_id)).body.data.contacts[0];
    assert.equal(up.lastName, 'After');
    assert.equal(up.firstName, 'Mary');
    assert.equal(up.channels[0].email, 'mary@example.test');
    assert.equal(u.json.etag, up.etag);
    assert.notEqual(u.json.etag, c.etag);
    const d = await api.del(url(S.id, `/${c.id}`), { headers: mgr.headers });
    assert.equal(d.status, 200, d.text);
    assert.equal((await upstream(c.external_id)).status, 404);
    assert.equal(local(c.id)[4], '1');
  });

  test('changed in MightyCall meanwhile (412 ContactWasModified) → 409; our copy is refreshed; a retry succeeds', async () => {
    const c = (await api.post(url(S.id), { first_name: 'Race', last_name: 'Condition' }, { headers: mgr.headers })).json;
    // someone edits the contact in MightyCall's panel
    const edit = await sim.api(`/contacts/${c.external_id}`, { method: 'PATCH', body: { lastName: 'Edited Upstream' } });
    assert.equal(edit.status, 200);
    const upEtag = (await edit.json()).data.etag;
    const r = await api.put(url(S.id, `/${c.id}`), { comment: 'mine' }, { headers: mgr.headers });
    assertError(assert, r, 409, 'CONFLICT');
    assert.equal(r.json.details.etag, upEtag);
    const now = await api.get(url(S.id, `/${c.id}`), { headers: mgr.headers });
    assert.equal(now.json.last_name, 'Edited Upstream');
    assert.equal(now.json.etag, upEtag);
    assert.equal(now.json.comment, null);
    const up = (await upstream(c.external_id)).body.data.contacts[0];
    assert.equal(up.comment, null, 'the refused change did not reach MightyCall');
    const retry = await api.put(url(S.id, `/${c.id}`), { comment: 'mine', etag: upEtag }, { headers: mgr.headers });
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.json.last_name, 'Edited Upstream');
    assert.equal((await upstream(c.external_id)).body.data.contacts[0].comment, 'mine');
  });

  test('our own stale etag is refused before anything is sent upstream', async () => {
    const c = (await api.post(url(S.id), { first_name: 'Etag' }, { headers: mgr.headers })).json;
    const before = (await simControl('GET', '/counts')).by_endpoint['PUT /contacts/{contactId}'] ?? 0;
    const r = await api.put(url(S.id, `/${c.id}`), { first_name: 'Nope', etag: '0000000000000000' }, { headers: mgr.headers });
    assertError(assert, r, 409, 'CONFLICT');
    const afterCount = (await simControl('GET', '/counts')).by_endpoint['PUT /contacts/{contactId}'] ?? 0;
    assert.equal(afterCount, before);
  });

  test('MightyCall failing or refusing: 502/503 in plain words, nothing half-written', async () => {
    const cases = [
      { fault: { fail_next: { count: 1, status: 503, paths: 'contacts' } }, status: 503, re: /could not be reached/ },
      { fault: { fail_next: { count: 1, status: 500, paths: 'contacts' } }, status: 503, re: /could not be reached/ },
      { fault: { fail_next: { count: 1, status: 'reset', paths: 'contacts' } }, status: 503, re: /could not be reached/ },
      { fault: { fail_next: { count: 1, status: 429, paths: 'contacts' } }, status: 503 },
      { fault: { quota: 0 }, status: 503, re: /quota/ },
      { fault: { fail_next: { count: 1, status: 400, paths: 'contacts' } }, status: 400, re: /rejected the contact/ },
      // MightyCall applied the change but its answer was cut: we cannot know, so nothing is written here
      { fault: { fail_next: { count: 1, status: 'malformed', paths: 'contacts' } }, status: 502, re: /could not be used/, maybeApplied: true },
    ];
    for (const k of cases) {
      const c = (await api.post(url(S.id), { first_name: 'Stable', last_name: 'Row' }, { headers: mgr.headers })).json;
      for (const op of ['create', 'update', 'delete']) {
        const before = snapshot(S.id);
        const upBefore = (await upstream(c.external_id)).body;
        await setFaults(k.fault);
        let r;
        if (op === 'create') r = await api.post(url(S.id), { first_name: `New ${op}` }, { headers: mgr.headers });
        if (op === 'update') r = await api.put(url(S.id, `/${c.id}`), { comment: 'should not stick' }, { headers: mgr.headers });
        if (op === 'delete') r = await api.del(url(S.id, `/${c.id}`), { headers: mgr.headers });
        await setFaults({});
        const what = `${JSON.stringify(k.fault)} ${op}: ${r.text}`;
        assert.equal(r.status, k.status, what);
        assert.equal(r.json.code, { 503: 'UNAVAILABLE', 502: 'UPSTREAM_ERROR', 400: 'BAD_REQUEST' }[k.status], what);
        if (k.re) assert.match(r.json.error, k.re, what);
        assert.match(r.json.error, /nothing was written/, what);
        assert.ok(!/demo-user-key|Bearer/.test(r.text), 'no secret in the answer');
        if (k.status === 503) assert.ok(r.headers['retry-after'], `Retry-After: ${what}`);
        assert.deepEqual(snapshot(S.id), before, `nothing written locally: ${what}`);
        if (!k.maybeApplied) {
          assert.deepEqual((await upstream(c.external_id)).body, upBefore, `MightyCall unchanged: ${what}`);
        } else if (op === 'update') {
          // our copy is now stale: the next write is a 409 until it is read again (here: fixed by hand)
          const cur = (await upstream(c.external_id)).body.data.contacts[0];
          sql(`UPDATE contacts SET etag = ${lit(cur.etag)} WHERE id = ${lit(c.id)}`);
        }
      }
    }
  });

  test('company is ours alone: not sent to MightyCall, kept by writes there, a 412 refresh and a re-sync', async () => {
    const r = await api.post(url(S.id), { first_name: 'Cora', last_name: 'Company', company: 'Stark Industries', phone: '+16175550177' }, { headers: mgr.headers });
    assert.equal(r.status, 201, r.text);
    const c = r.json;
    assert.equal(c.synced, true);
    assert.equal(c.company, 'Stark Industries');
    let uc = (await upstream(c.external_id)).body.data.contacts[0];
    assert.equal(uc.firstName, 'Cora');
    assert.equal(uc.etag, c.etag);
    assert.ok(!JSON.stringify(uc).includes('Stark'), 'MightyCall does not hold the company');
    // a company change is an update like any other: sent to MightyCall (new etag there and here), stored here
    const u = await api.put(url(S.id, `/${c.id}`), { company: 'Wayne Enterprises', etag: c.etag }, { headers: mgr.headers });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.json.company, 'Wayne Enterprises');
    uc = (await upstream(c.external_id)).body.data.contacts[0];
    assert.equal(u.json.etag, uc.etag);
    assert.notEqual(u.json.etag, c.etag);
    assert.equal(uc.lastName, 'Company');
    assert.ok(!JSON.stringify(uc).includes('Wayne'));
    // a stale etag is refused before MightyCall and leaves the company alone
    assertError(assert, await api.put(url(S.id, `/${c.id}`), { company: 'Lost', etag: c.etag }, { headers: mgr.headers }), 409, 'CONFLICT');
    // another field changed: the company stays
    const n = await api.put(url(S.id, `/${c.id}`), { last_name: 'Renamed', etag: u.json.etag }, { headers: mgr.headers });
    assert.equal(n.status, 200, n.text);
    assert.equal(n.json.company, 'Wayne Enterprises');
    // changed in MightyCall meanwhile: the 409 refreshes our copy from MightyCall, company kept
    const edit = await sim.api(`/contacts/${c.external_id}`, { method: 'PATCH', body: { lastName: 'Edited There' } });
    assert.equal(edit.status, 200);
    assertError(assert, await api.put(url(S.id, `/${c.id}`), { company: 'Too Late' }, { headers: mgr.headers }), 409, 'CONFLICT');
    let now = (await api.get(url(S.id, `/${c.id}`), { headers: mgr.headers })).json;
    assert.equal(now.last_name, 'Edited There');
    assert.equal(now.company, 'Wayne Enterprises');
    // edited in MightyCall again, then the contacts sync runs: MightyCall's fields arrive, the company stays
    assert.equal((await sim.api(`/contacts/${c.external_id}`, { method: 'PATCH', body: { firstName: 'Synced' } })).status, 200);
    const run = await vsSync(['run', '--org', S.id, '--type', 'contacts']);
    assert.equal(run.code, 0, run.stderr);
    now = (await api.get(url(S.id, `/${c.id}`), { headers: mgr.headers })).json;
    assert.equal(now.first_name, 'Synced', 'the sync stored MightyCall\'s version of this contact');
    assert.equal(now.etag, (await upstream(c.external_id)).body.data.contacts[0].etag);
    assert.equal(now.company, 'Wayne Enterprises', 'the re-sync did not wipe the company');
    const found = (await api.get(url(S.id, '?search=wayne'), { headers: mgr.headers })).json;
    assert.deepEqual(found.data.map((x) => x.id), [c.id]);
    // cleared through the API on a synced contact
    const cl = await api.put(url(S.id, `/${c.id}`), { company: null, etag: now.etag }, { headers: mgr.headers });
    assert.equal(cl.status, 200, cl.text);
    assert.equal(cl.json.company, null);
    assert.equal(cl.json.first_name, 'Synced');
  });

  test('a 401 from MightyCall refreshes the token once and the change goes through', async () => {
    await setFaults({ fail_next: { count: 1, status: 401, paths: 'contacts' } });
    const r = await api.post(url(S.id), { first_name: 'After', last_name: 'Refresh' }, { headers: mgr.headers });
    await setFaults({});
    assert.equal(r.status, 201, r.text);
    assert.equal((await upstream(r.json.external_id)).status, 200);
  });

  test('an org whose integration is disabled keeps contacts locally only', async () => {
    const o = await orgWithIntegration({ timezone: 'UTC' });
    sql(`UPDATE integrations SET status = 'disabled' WHERE org_id = ${lit(o.org.id)}`);
    const m = await userWithRole(o.org.id, 'manager');
    const before = (await simControl('GET', '/counts')).by_endpoint['POST /contacts'] ?? 0;
    const r = await api.post(url(o.org.id), { first_name: 'Offline' }, { headers: m.headers });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.synced, false);
    assert.equal(r.json.external_id, null);
    assert.equal((await simControl('GET', '/counts')).by_endpoint['POST /contacts'] ?? 0, before);
  });
});
