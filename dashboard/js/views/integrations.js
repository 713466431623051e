// views/integrations.js — the org's MightyCall connection
// (GET/POST /api/admin/orgs/:orgId/integrations, DELETE …/:integrationId).
// Credentials are typed in and sent once; they are never shown back.
import { h, button } from '../dom.js';
import { api, asPage } from '../api.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { formDialog } from '../components/form-dialog.js';
import { pageHeader, confirmDialog, badge, copyButton } from '../components/page.js';
import { describe } from '../errors.js';
import { toast } from '../notify.js';
import { dateTime, humanize } from '../format.js';

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const base = `/api/admin/orgs/${org.id}/integrations`;
    let table;
    let existing = [];

    const connect = async () => {
      const replacing = existing.some((i) => (i.integration_type ?? 'mightycall') === 'mightycall');
      const res = await formDialog({
        title: replacing ? 'Replace MightyCall credentials' : 'Connect MightyCall',
        submitLabel: replacing ? 'Save new credentials' : 'Connect',
        intro: 'Find the API key and user key in MightyCall under Settings → API. They are stored encrypted and never shown again.',
        fields: [
          { label: 'Label', name: 'label', value: existing[0]?.label ?? 'MightyCall', maxlength: 200, autocomplete: 'off' },
          { label: 'API key', name: 'api_key', type: 'password', required: true, autocomplete: 'off' },
          { label: 'User key', name: 'user_key', type: 'password', required: true, autocomplete: 'off' },
          { label: 'API address', name: 'base_url', type: 'url', value: 'https://api.mightycall.com', required: true, autocomplete: 'off',
            hint: 'https://api.mightycall.com for classic accounts, https://ccapi.mightycall.com for Contact Center.' },
        ],
        onSubmit: (v) => api.post(base, {
          integration_type: 'mightycall', label: v.label || 'MightyCall',
          credentials: { api_key: v.api_key, user_key: v.user_key, base_url: v.base_url },
        }),
      });
      if (res) {
        toast(res.webhook_url ? 'MightyCall connected. Start a sync on the Sync page.' : 'Credentials saved.', 'success');
        showWebhook(res);
        table.refresh();
      }
    };

    const remove = async (i, refresh) => {
      if (!(await confirmDialog({ title: 'Disconnect MightyCall', message: `Delete “${i.label || 'MightyCall'}”? Syncing stops; data already imported stays.`, confirmLabel: 'Disconnect' }))) return;
      try {
        await api.del(`${base}/${i.id}`);
        toast('Integration deleted.', 'success');
        refresh();
      } catch (err) { toast(describe(err), 'error'); }
    };

    const reveal = h('div', { class: 'reveal-slot' });
    const showWebhook = (i) => {
      if (!i?.webhook_url) return;
      const input = h('input', { id: 'webhook-url', type: 'text', readonly: true, value: i.webhook_url, class: 'mono', autocomplete: 'off', spellcheck: 'false' });
      const panel = h('section', { class: 'alert alert-success key-reveal', 'aria-labelledby': 'wh-title', tabindex: '-1' },
        h('h2', { id: 'wh-title' }, 'MightyCall connected'),
        h('p', null, 'To see calls as they happen, paste this webhook address into MightyCall (Settings → Integrations → Webhooks). ',
          h('strong', null, 'It contains a secret and is shown only now.')),
        h('div', { class: 'key-row' }, h('label', { for: 'webhook-url', class: 'sr-only' }, 'Webhook address'), input, copyButton(() => i.webhook_url, 'Copy address', input)),
        button('Done', () => reveal.replaceChildren(), { class: 'btn' }));
      reveal.replaceChildren(panel);
      panel.focus();
    };

    const connectBtn = button('Connect MightyCall', connect, { class: 'btn btn-primary' });
    table = dataTable({
      caption: 'Integrations',
      csvName: false,
      signal: ctx.signal,
      fetchPage: async (q, signal) => {
        const page = asPage(await api.get(base, q, { signal }));
        existing = page.data;
        connectBtn.textContent = existing.length ? 'Replace credentials' : 'Connect MightyCall';
        return page;
      },
      toolbar: connectBtn,
      empty: 'Not connected to MightyCall yet.',
      columns: [
        { key: 'label', label: 'Label', render: (i) => i.label || '—' },
        { key: 'integration_type', label: 'Type', render: (i) => ((i.integration_type ?? 'mightycall') === 'mightycall' ? 'MightyCall' : humanize(i.integration_type)) },
        { key: 'status', label: 'Status', render: (i) => badge(humanize(i.status), i.status === 'active' ? 'ok' : i.status === 'error' ? 'error' : 'neutral') },
        { key: 'last_sync_at', label: 'Last sync', render: (i) => [dateTime(i.last_sync_at), i.last_error ? h('span', { class: 'text-error block' }, i.last_error) : null] },
        { key: 'updated_at', label: 'Updated', render: (i) => dateTime(i.updated_at ?? i.created_at) },
      ],
      actions: (i, { refresh }) => button('Delete', () => remove(i, refresh), { class: 'btn btn-small btn-danger-outline', ariaLabel: `Delete integration ${i.label || ''}` }),
    });
    root.append(pageHeader('Integrations', { subtitle: org.name }), reveal,
      h('p', { class: 'panel' }, 'VictorySync reads phone numbers, calls, recordings, voicemails, SMS and contacts from MightyCall and sends SMS through it. Credentials you enter here are stored encrypted and are never displayed again.'),
      table.el);
  },
};
