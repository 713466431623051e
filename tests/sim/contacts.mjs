// Contact book of one simulated account: deterministic initial contacts
// (some already deleted, visible only through ?updatedSince=), CRUD with
// etags (each change makes a new etag), and the search used by GET /contacts.
// Contact phones are the first entries of the dataset's client pool, so
// contacts appear as callers in calls, the journal and SMS.

import { hash32, recordRng, hex24For, hexN, int, pick } from './prng.mjs';
import { iso7 } from './format.mjs';
import { FIRST_NAMES, LAST_NAMES, CONTACT_TAGS, CONTACT_COMMENTS, CITY_CALLER_NAMES } from './words.mjs';

const ID_RE = /^[0-9a-fA-F]{24}$/;
const err = (status, errorCode, message, data) => ({ error: { status, body: data === undefined ? { errorCode, message } : { data, errorCode, message } } });

export class ContactStore {
  constructor(ds) {
    this.ds = ds;
    const seed = ds.seed;
    this.salt = hash32(`${seed}:contact`);
    this.chanSalt = hash32(`${seed}:channel`);
    this.newSalt = hash32(`${seed}:contact-new`);
    this.created = 0;
    this.chanCount = 0;
    this.byId = new Map();
    this.list = [];
    this.initialPhones = [];
    this.initialNames = [];
    // `contacts` live contacts plus ~5% already-deleted ones (tombstones).
    const live = Math.max(0, ds.o.contacts), n = live + Math.ceil(live / 20);
    const now = ds.o.now, span = Math.max(1, ds.o.days) * 86400000;
    for (let k = 0; k < n; k++) {
      const r = recordRng(this.salt, k);
      const firstName = pick(r, FIRST_NAMES), lastName = pick(r, LAST_NAMES);
      const phone = ds.genPhone(k);
      const channels = [{ channelId: this.nextChannelId(), labels: [pick(r, ['Mobile', 'Work-phone', 'Home'])], phone }];
      if (r() < 0.3) channels.push({ channelId: this.nextChannelId(), labels: ['Work-phone'], phone: ds.genPhone(100000 + k) });
      if (r() < 0.6) channels.push({ channelId: this.nextChannelId(), labels: ['Work-email'], email: `${firstName}.${lastName}${k}@example.org`.toLowerCase().replace(/[^a-z0-9.@]/g, '') });
      const created = Math.floor(now - span * 2 - r() * span * 4);
      const updated = r() < 0.5 ? created : Math.floor(created + r() * (now - created));
      const tags = [];
      for (let i = int(r, 0, 2); i > 0; i--) { const t = pick(r, CONTACT_TAGS); if (!tags.includes(t)) tags.push(t); }
      const c = {
        contactId: hex24For(this.salt, k), version: 0, firstName, lastName,
        patronymic: r() < 0.2 ? `${pick(r, FIRST_NAMES)[0]}.` : null,
        created, updated, comment: pick(r, CONTACT_COMMENTS) || null, tags, channels, deleted: false,
      };
      if (k >= live) { c.deleted = true; c.updated = Math.floor(now - r() * span / 3); }
      c.etag = this.etagOf(c);
      this.byId.set(c.contactId, c);
      this.list.push(c);
      this.initialPhones.push(phone);
      this.initialNames.push(`${firstName} ${lastName}`);
    }
  }

  nextChannelId() { return hex24For(this.chanSalt, this.chanCount++); }
  etagOf(c) { return hexN(recordRng(hash32(c.contactId), c.version), 16); }

  phoneOf(k) { return this.initialPhones[k]; }

  nameOfClient(k) {
    if (k < this.initialNames.length) return this.initialNames[k];
    return CITY_CALLER_NAMES[hash32(`${this.ds.seed}:cname:${k}`) % CITY_CALLER_NAMES.length];
  }

  liveCount() { return this.list.filter((c) => !c.deleted).length; }

  /** JSON shape of a contact (swagger ContactModel). */
  render(c) {
    const out = {
      etag: c.etag, contactId: c.contactId, firstName: c.firstName, lastName: c.lastName, patronymic: c.patronymic,
      created: iso7(c.created), updated: iso7(c.updated), comment: c.comment, tags: [...c.tags],
      channels: c.channels.map((ch) => ({ ...ch, labels: ch.labels ? [...ch.labels] : undefined })),
    };
    if (c.deleted) out.state = 'deleted';
    return out;
  }

  /** GET /contacts search. `q` is URLSearchParams; returns { data } or { error }. */
  search(q, since) {
    const needles = {};
    for (const f of ['all', 'name', 'phone', 'email', 'label', 'tag', 'comment']) {
      const v = q.getAll(f).map((s) => s.toLowerCase()).filter(Boolean);
      if (v.length) needles[f] = v;
    }
    const has = (hay, ns) => ns.every((n) => hay.some((h) => h && h.toLowerCase().includes(n)));
    const fields = (c) => ({
      name: [c.firstName, c.lastName, c.patronymic],
      phone: c.channels.map((ch) => ch.phone),
      email: c.channels.map((ch) => ch.email),
      label: c.channels.flatMap((ch) => ch.labels ?? []),
      tag: c.tags,
      comment: [c.comment],
    });
    let rows = this.list.filter((c) => {
      if (since !== undefined) { if (!(c.updated > since)) return false; } else if (c.deleted) return false;
      const f = fields(c);
      for (const [k, ns] of Object.entries(needles)) {
        const hay = k === 'all' ? Object.values(f).flat() : f[k];
        if (!has(hay, ns)) return false;
      }
      return true;
    });
    if (since !== undefined) rows = rows.slice().sort((a, b) => a.updated - b.updated || (a.contactId < b.contactId ? -1 : 1));
    return rows;
  }

  get(id) {
    if (!ID_RE.test(id)) return err(400, 'ContactIdHasInvalidFormat', `Contact Id '${id}' has invalid format`);
    const c = this.byId.get(id.toLowerCase());
    if (!c || c.deleted) return err(404, 'ContactIsNotFound', 'Contact is not found');
    return { contact: c };
  }

  /** Validate contact fields; returns an error or the normalized fields. */
  validate(body, { creating, partial }) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return err(400, 'ContactDataMalformed', 'Contact data is malformed');
    if (creating && body.contactId) {
      return err(400, 'ContactIdIsNotEmpty', 'You are not permitted to pass any contact id in this operation. Contact id parameter should not present.');
    }
    const out = {};
    for (const f of ['firstName', 'lastName', 'patronymic', 'comment']) {
      if (f in body) {
        if (body[f] !== null && typeof body[f] !== 'string') return err(400, 'ContactDataMalformed', 'Contact data is malformed');
        out[f] = body[f] === '' ? null : body[f];
      }
    }
    if ('tags' in body) {
      if (body.tags !== null && (!Array.isArray(body.tags) || body.tags.some((t) => typeof t !== 'string'))) return err(400, 'ContactDataMalformed', 'Contact data is malformed');
      out.tags = body.tags ?? [];
    }
    if ('channels' in body) {
      if (body.channels !== null && !Array.isArray(body.channels)) return err(400, 'ContactDataMalformed', 'Contact data is malformed');
      const chans = [];
      for (const ch of body.channels ?? []) {
        if (!ch || typeof ch !== 'object') return err(400, 'ContactDataMalformed', 'Contact data is malformed');
        if (creating && ch.channelId) {
          return err(400, 'ChannelIdIsNotEmpty', 'You are not permitted to pass any channel id in this operation. Channel id parameter should not present.');
        }
        const phone = typeof ch.phone === 'string' && ch.phone.trim() ? ch.phone.trim() : undefined;
        const email = typeof ch.email === 'string' && ch.email.trim() ? ch.email.trim() : undefined;
        if (!phone && !email) return err(400, 'ContactDataMalformed', 'Contact data is malformed');
        if (ch.labels !== undefined && ch.labels !== null && (!Array.isArray(ch.labels) || ch.labels.some((l) => typeof l !== 'string'))) {
          return err(400, 'ContactDataMalformed', 'Contact data is malformed');
        }
        const c = { channelId: typeof ch.channelId === 'string' && ch.channelId ? ch.channelId : this.nextChannelId() };
        if (ch.labels) c.labels = [...ch.labels];
        if (phone) c.phone = phone; else c.email = email;
        chans.push(c);
      }
      out.channels = chans;
    }
    if (!partial && !out.firstName && !out.lastName && !(out.channels?.length)) {
      return err(400, 'ContactDataMalformed', 'Contact data is malformed');
    }
    return { fields: out };
  }

  create(body, now) {
    const v = this.validate(body, { creating: true, partial: false });
    if (v.error) return v;
    const c = {
      contactId: hex24For(this.newSalt, this.created++), version: 0, firstName: null, lastName: null, patronymic: null,
      created: now, updated: now, comment: null, tags: [], channels: [], deleted: false, ...v.fields,
    };
    c.etag = this.etagOf(c);
    this.byId.set(c.contactId, c);
    this.list.push(c);
    return { contact: c };
  }

  /** etag check: `given` undefined or '*' disables it. */
  checkEtag(c, given) {
    if (given === undefined || given === null || given === '' || given === '*') return null;
    if (String(given).replace(/"/g, '').replace(/^W\//, '') !== c.etag) {
      return err(412, 'ContactWasModified', 'Contact was modified', this.render(c));
    }
    return null;
  }

  update(id, body, etag, now, partial) {
    const g = this.get(id);
    if (g.error) return g;
    const c = g.contact;
    const e = this.checkEtag(c, etag);
    if (e) return e;
    const v = this.validate(body, { creating: false, partial });
    if (v.error) return v;
    if (!partial) Object.assign(c, { firstName: null, lastName: null, patronymic: null, comment: null, tags: [], channels: [] });
    Object.assign(c, v.fields);
    this.touch(c, now);
    return { contact: c };
  }

  remove(id, etag, now) {
    const g = this.get(id);
    if (g.error) return g;
    const c = g.contact;
    const e = this.checkEtag(c, etag);
    if (e) return e;
    c.deleted = true;
    this.touch(c, now);
    return { contact: c };
  }

  touch(c, now) {
    c.version++;
    c.updated = Math.max(now, c.updated + 1);
    c.etag = this.etagOf(c);
  }

  /** Phone → live contacts holding it (journal ?resolveContacts=true). */
  byPhone(phone) {
    return this.list.filter((c) => !c.deleted && c.channels.some((ch) => ch.phone === phone));
  }
}
