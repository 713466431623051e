// views/api-keys.js — org API keys (GET/POST /api/orgs/:orgId/api-keys,
// DELETE …/:keyId). A new key is shown exactly once, with a copy button. The
// create dialog chooses the key's scopes (read by default); the list shows them.
import { h, button } from '../dom.js';
import { api, asPage, orgPath } from '../api.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { formDialog } from '../components/form-dialog.js';
import { pageHeader, confirmDialog, copyButton } from '../components/page.js';
import { describe } from '../errors.js';
import { toast } from '../notify.js';
import { dateTime } from '../format.js';

// the API's scopes (docs/authorization.md, "API key scopes"), in its order
const SCOPES = [
  { value: 'read', label: 'Read — calls, reports, contacts, SMS, live' },
  { value: 'sms:send', label: 'Send SMS — send and reply in threads' },
  { value: 'write', label: 'Write — contacts, number assignments, threads' },
  { value: 'sync', label: 'Sync — start MightyCall syncs' },
];

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const base = orgPath(org.id, '/api-keys');
    const reveal = h('div', { class: 'reveal-slot' });
    let table;

    const showOnce = (k) => {
      const input = h('input', { id: 'new-api-key', type: 'text', readonly: true, value: k.key, class: 'mono', spellcheck: 'false', autocomplete: 'off' });
      const panel = h('section', { class: 'alert alert-success key-reveal', 'aria-labelledby': 'key-title', tabindex: '-1' },
        h('h2', { id: 'key-title' }, `New API key “${k.name}”`),
        h('p', null, h('strong', null, 'Copy it now. '), 'For your security it will not be shown again; if you lose it, revoke it and create another.'),
        h('div', { class: 'key-row' }, h('label', { for: 'new-api-key', class: 'sr-only' }, 'API key'), input, copyButton(() => k.key, 'Copy key', input)),
        h('p', { class: 'muted' }, 'Send it in the x-api-key header.'),
        button('Done, I saved it', () => reveal.replaceChildren(), { class: 'btn' }));
      reveal.replaceChildren(panel);
      panel.focus();
    };

    const create = async () => {
      const k = await formDialog({
        title: 'Create API key', submitLabel: 'Create key',
        fields: [
          { label: 'Name', name: 'name', required: true, maxlength: 100, autocomplete: 'off', hint: 'Where it is used, e.g. “CRM integration”.' },
          { label: 'Scopes', name: 'scopes', type: 'checkboxes', options: SCOPES, value: ['read'],
            hint: 'Give a key only what its program needs: a wallboard needs Read only.' },
        ],
        onSubmit: (v) => api.post(base, { name: v.name, scopes: SCOPES.map((s) => s.value).filter((s) => v[`scopes:${s}`]) }),
      });
      if (k) { table.refresh(); showOnce(k); }
    };

    const revoke = async (k, refresh) => {
      if (!(await confirmDialog({ title: 'Revoke API key', message: `Revoke “${k.name}”? Programs using it stop working immediately.`, confirmLabel: 'Revoke' }))) return;
      try {
        await api.del(`${base}/${k.id}`);
        toast('API key revoked.', 'success');
        refresh();
      } catch (err) { toast(describe(err), 'error'); }
    };

    table = dataTable({
      caption: 'API keys',
      csvName: false,
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      fetchPage: async (q, signal) => asPage(await api.get(base, q, { signal }), q.skip, q.limit),
      toolbar: button('Create API key', create, { class: 'btn btn-primary' }),
      empty: 'No API keys yet.',
      columns: [
        { key: 'name', label: 'Name' },
        { key: 'prefix', label: 'Key starts with', render: (k) => (k.prefix ?? k.key_prefix ? h('code', null, `${k.prefix ?? k.key_prefix}…`) : '—') },
        { key: 'scopes', label: 'Scopes', render: (k) => (k.scopes?.length ? k.scopes.join(', ') : '—') },
        { key: 'created_at', label: 'Created', render: (k) => dateTime(k.created_at) },
        { key: 'last_used_at', label: 'Last used', render: (k) => (k.last_used_at ? dateTime(k.last_used_at) : 'Never') },
      ],
      actions: (k, { refresh }) => button('Revoke', () => revoke(k, refresh), { class: 'btn btn-small btn-danger-outline', ariaLabel: `Revoke ${k.name}` }),
    });
    root.append(pageHeader('API keys', { subtitle: org.name }), reveal, table.el);
  },
};
