// views/threads.js — SMS conversations: the thread list
// (GET /api/orgs/:orgId/sms/threads: searched by number or name, unread
// only, paged with next_cursor behind "Show more"; search and unread live in
// the URL as ?search=&unread=true), one thread with its messages
// (GET …/sms/threads/:id, marked read with POST …/mark-read), replying
// (POST …/sms/threads/:id/messages) and a new message to any number
// (POST /api/orgs/:orgId/sms/send). Both panes refresh through live.poll.
import { h, field, formValues, button } from '../dom.js';
import { api, getPage, getAll, orgPath } from '../api.js';
import * as session from '../session.js';
import { poll } from '../live.js';
import { pageHeader, badge } from '../components/page.js';
import { errorBox, showFormError, clearFormError, describe } from '../errors.js';
import { toast } from '../notify.js';
import { dateTime, phone, ago, humanize } from '../format.js';

const MAX_SMS = 1600;
const contactOf = (t) => t.contact_number ?? '';
const businessOf = (t) => t.business_number ?? '';
const msgText = (m) => m.body ?? m.message ?? '';
const msgDate = (m) => m.sent_at ?? m.date ?? m.created_at;
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);
const digits = (s) => String(s ?? '').replace(/[^\d]/g, '');

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const threadId = ctx.params.threadId ?? null;
    const base = orgPath(org.id, '/sms/threads');

    // ---- thread list --------------------------------------------------------
    const PAGE = 50;
    const listEl = h('ul', { class: 'thread-list', 'aria-label': 'Conversations' });
    const listStatus = h('div');
    const newBtn = button('New message', () => openCompose(), { class: 'btn btn-primary' });
    const filters = { search: ctx.query.search ?? '', unread: ctx.query.unread === 'true' };
    const listQuery = () => ({ ...(filters.search ? { search: filters.search } : {}), ...(filters.unread ? { unread: 'true' } : {}) });
    const searchBox = h('input', {
      type: 'search', name: 'search', value: filters.search, maxlength: 100, placeholder: 'Name or number',
      'aria-label': 'Search conversations', autocomplete: 'off',
    });
    const unreadBox = h('input', { type: 'checkbox', name: 'unread', checked: filters.unread });
    const filterForm = h('form', { class: 'thread-filters', role: 'search', 'aria-label': 'Find a conversation' },
      searchBox, h('label', { class: 'check' }, unreadBox, ' Unread only'));
    const countEl = h('p', { class: 'thread-count muted', role: 'status' });
    const moreBtn = button('Show more', () => loadMore(), { class: 'btn btn-small thread-more' });
    moreBtn.hidden = true;
    let threads = [];
    let total = 0;
    let nextCursor = null;
    let wanted = PAGE; // rows on screen: a refresh fetches as many again

    function renderList() {
      countEl.textContent = total ? `${threads.length} of ${total} conversation${total === 1 ? '' : 's'}` : '';
      moreBtn.hidden = !nextCursor;
      if (!threads.length) {
        const any = filters.search || filters.unread;
        listEl.replaceChildren(h('li', { class: 'muted' }, any ? 'No conversations match.' : 'No conversations yet.'));
        return;
      }
      const qs = new URLSearchParams(listQuery()).toString();
      listEl.replaceChildren(...threads.map((t) => {
        const unread = Number(t.unread_count ?? 0);
        const label = t.contact_name ? `${t.contact_name} (${phone(contactOf(t))})` : phone(contactOf(t));
        return h('li', null, h('a', {
          href: `#/messages/${t.id}${qs ? `?${qs}` : ''}`, class: ['thread-link', unread ? 'unread' : null],
          'aria-current': t.id === threadId ? 'page' : undefined, dataset: { threadId: t.id, contact: contactOf(t) },
        },
        h('span', { class: 'thread-contact' }, label),
        unread ? badge(`${unread} unread`, 'info') : null,
        h('span', { class: 'thread-snippet' }, t.last_message ? `${t.last_message.direction === 'outbound' ? 'You: ' : ''}${msgText(t.last_message)}` : ''),
        h('span', { class: 'thread-meta' }, `via ${phone(businessOf(t))} · ${ago(t.last_message_at)}`)));
      }));
    }

    let listSeq = 0;
    async function loadList() {
      const seq = ++listSeq;
      const page = await getPage(base, { ...listQuery(), limit: Math.min(500, wanted) }, { signal: ctx.signal });
      if (seq !== listSeq) return threads; // a newer search answered first
      threads = page.data;
      total = page.total;
      nextCursor = page.next_cursor ?? null;
      listStatus.replaceChildren();
      renderList();
      return threads;
    }

    async function loadMore() {
      if (!nextCursor) return;
      moreBtn.disabled = true;
      try {
        const seq = listSeq;
        const page = await getPage(base, { ...listQuery(), limit: PAGE, cursor: nextCursor }, { signal: ctx.signal });
        if (seq !== listSeq) return;
        const seen = new Set(threads.map((t) => t.id));
        threads = threads.concat(page.data.filter((t) => !seen.has(t.id)));
        total = page.total;
        nextCursor = page.next_cursor ?? null;
        wanted = threads.length;
        renderList();
      } catch (err) {
        if (err?.name !== 'AbortError') listStatus.replaceChildren(errorBox(err));
      } finally { moreBtn.disabled = false; }
    }

    let searchTimer = null;
    function applyFilters() {
      filters.search = searchBox.value.trim();
      filters.unread = unreadBox.checked;
      wanted = PAGE;
      ctx.setQuery(listQuery());
      loadList().catch((err) => { if (err?.name !== 'AbortError') listStatus.replaceChildren(errorBox(err)); });
    }
    searchBox.addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(applyFilters, 300); });
    unreadBox.addEventListener('change', applyFilters);
    filterForm.addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(searchTimer); applyFilters(); });

    // ---- one thread ---------------------------------------------------------
    const pane = h('section', { class: 'thread-pane', 'aria-label': 'Conversation' });
    let lastSig = null;

    async function loadThread() {
      const res = await api.get(`${base}/${encodeURIComponent(threadId)}`, { limit: 200 }, { signal: ctx.signal });
      const thread = res;
      const messages = [...(Array.isArray(res.messages) ? res.messages : (res.messages?.data ?? []))].sort((a, b) => String(msgDate(a)).localeCompare(String(msgDate(b))));
      const sig = JSON.stringify(messages.map((m) => [m.id, m.status]));
      if (sig !== lastSig) {
        lastSig = sig;
        drawThread(thread, messages);
      }
      if (Number(thread.unread_count ?? 0) > 0) {
        await api.post(`${base}/${encodeURIComponent(threadId)}/mark-read`, {}, { signal: ctx.signal });
        const t = threads.find((x) => x.id === threadId);
        if (t) { t.unread_count = 0; renderList(); }
        pane.dataset.read = 'true';
      } else pane.dataset.read = 'true';
    }

    let log = null;
    function drawThread(thread, messages) {
      const title = thread.contact_name ? `${thread.contact_name} · ${phone(contactOf(thread))}` : phone(contactOf(thread));
      log = h('ol', { class: 'messages', 'aria-label': 'Messages', 'aria-live': 'polite' },
        messages.map((m) => h('li', { class: ['bubble', m.direction === 'outbound' ? 'out' : 'in'], dataset: { id: m.id ?? '', status: m.status ?? '' } },
          h('p', { class: 'bubble-text' }, msgText(m)),
          h('p', { class: 'bubble-meta' },
            m.direction === 'outbound' ? 'Sent' : 'Received', ' ', dateTime(msgDate(m)),
            m.status && m.status !== 'received' && m.status !== 'sent' ? [' · ', humanize(m.status)] : null,
            m.failure_reason ? h('span', { class: 'bubble-error' }, ` · Not sent: ${m.failure_reason}`) : null))));
      const reply = replyForm(thread);
      pane.replaceChildren(
        h('header', { class: 'thread-head' },
          h('a', { href: `#/messages${Object.keys(listQuery()).length ? `?${new URLSearchParams(listQuery())}` : ''}`, class: 'btn btn-small back-link' }, 'All conversations'),
          h('h2', null, title),
          h('p', { class: 'muted' }, `Your number: ${phone(businessOf(thread))}`)),
        messages.length ? log : h('p', { class: 'muted' }, 'No messages in this conversation yet.'),
        reply);
      log.lastElementChild?.scrollIntoView({ block: 'nearest' });
    }

    function replyForm(thread) {
      let key = newKey(); // the same key on a retry: MightyCall never gets the message twice
      const send = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Send');
      const form = h('form', { class: 'reply', 'aria-label': 'Reply' },
        field({ label: `Reply to ${phone(contactOf(thread))}`, name: 'message', type: 'textarea', rows: 3, maxlength: MAX_SMS, required: true }),
        send);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        clearFormError(form);
        const { message } = formValues(form);
        if (!message) { showFormError(form, { status: 400, details: { field: 'message', reason: 'write a message first' } }, { fieldLabels: { message: 'Message' } }); return; }
        send.disabled = true;
        try {
          const res = await api.post(`${base}/${encodeURIComponent(threadId)}/messages`, { message }, { headers: { 'idempotency-key': key } });
          key = newKey();
          form.reset();
          if (res.status === 'failed') toast(`Not sent: ${res.messages?.[0]?.failure_reason ?? 'MightyCall refused the message'}.`, 'error', 0);
          await loadThread();
          loadList().catch(() => {});
          if (res.status !== 'failed') toast(res.status === 'queued' ? 'Message queued; it will be sent shortly.' : 'Message sent.', 'success');
        } catch (err) {
          showFormError(form, err, { fieldLabels: { message: 'Message' } });
        } finally { send.disabled = false; }
      });
      return form;
    }

    // ---- compose a new message ---------------------------------------------
    async function openCompose(prefillTo = '') {
      // "From": the org's SMS numbers (settings, with the default first), then other numbers that can text
      let options = [];
      try {
        const [smsNums, phones] = await Promise.all([
          getAll(orgPath(org.id, '/sms/numbers'), {}, { signal: ctx.signal, max: 500 }),
          getAll(orgPath(org.id, '/phone-numbers'), {}, { signal: ctx.signal, max: 500 }),
        ]);
        const seen = new Set();
        for (const n of [...smsNums].sort((a, b) => Number(b.is_default) - Number(a.is_default))) {
          seen.add(n.phone_number);
          options.push({ value: n.phone_number, label: `${phone(n.phone_number)}${n.label ? ` — ${n.label}` : ''}${n.is_default ? ' (default)' : ''}` });
        }
        for (const n of phones) {
          if (!n.sms_enabled || n.status !== 'active' || seen.has(n.number)) continue;
          options.push({ value: n.number, label: `${phone(n.number)}${n.label ? ` — ${n.label}` : ''}` });
        }
      } catch (err) {
        if (err?.name === 'AbortError') return;
        options = [];
      }
      if (!options.length) options = [{ value: '', label: 'The organisation’s default SMS number' }];
      let key = newKey();
      const send = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Send message');
      const form = h('form', { class: 'stack compose', 'aria-label': 'New message' },
        field({ label: 'From', name: 'from', type: 'select', options }),
        field({ label: 'To', name: 'to', type: 'tel', required: true, value: prefillTo, inputmode: 'tel', autocomplete: 'off', hint: 'One or more numbers in international format, separated by commas, e.g. +12125551234' }),
        field({ label: 'Message', name: 'message', type: 'textarea', rows: 4, maxlength: MAX_SMS, required: true }),
        h('div', { class: 'form-actions' }, send, button('Cancel', () => { ctx.navigate('/messages'); }, { class: 'btn' })));
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        clearFormError(form);
        const v = formValues(form);
        const to = v.to.split(/[,;\s]+/).map((s) => s.trim()).filter(Boolean);
        const labels = { to: 'To', message: 'Message', from: 'From' };
        if (!to.length) { showFormError(form, { status: 400, details: { field: 'to', reason: 'enter at least one number' } }, { fieldLabels: labels }); return; }
        if (!v.message) { showFormError(form, { status: 400, details: { field: 'message', reason: 'write a message first' } }, { fieldLabels: labels }); return; }
        send.disabled = true;
        send.textContent = 'Sending…';
        try {
          const res = await api.post(orgPath(org.id, '/sms/send'), { ...(v.from ? { from: v.from } : {}), to, message: v.message },
            { headers: { 'idempotency-key': key } });
          key = newKey();
          const failed = (res.messages ?? []).filter((m) => m.status === 'failed');
          if (failed.length) {
            toast(`Not sent to ${failed.map((m) => phone(m.contact_number)).join(', ')}: ${failed[0].failure_reason ?? 'MightyCall refused the message'}.`, 'error', 0);
          } else toast(res.status === 'queued' ? 'Message queued; it will be sent shortly.' : 'Message sent.', 'success');
          const list = await loadList();
          const tid = res.messages?.[0]?.thread_id
            ?? list.find((t) => digits(contactOf(t)).endsWith(digits(to[0])) || digits(to[0]).endsWith(digits(contactOf(t))))?.id;
          if (tid) ctx.navigate(`/messages/${tid}`); else ctx.navigate('/messages');
        } catch (err) {
          showFormError(form, err, { fieldLabels: labels });
          send.disabled = false;
          send.textContent = 'Send message';
        }
      });
      pane.replaceChildren(h('header', { class: 'thread-head' }, h('h2', null, 'New message')), form);
      form.elements[prefillTo ? 'message' : 'to'].focus();
    }

    root.append(
      pageHeader('Messages', { subtitle: org.name, actions: newBtn }),
      h('div', { class: ['threads', threadId ? 'has-thread' : null] },
        h('section', { class: 'thread-list-pane', 'aria-label': 'Conversation list' }, filterForm, countEl, listStatus, listEl, moreBtn),
        pane));

    poll(loadList, {
      interval: 10_000, signal: ctx.signal,
      onError: (err) => listStatus.replaceChildren(errorBox(err)),
    });
    if (threadId) {
      pane.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Loading conversation…'));
      poll(loadThread, {
        interval: 5_000, signal: ctx.signal,
        onError: (err) => { if (!log) pane.replaceChildren(errorBox(err)); else toast(`Could not refresh the conversation. ${describe(err)}`, 'error'); },
      });
    } else if (ctx.query.to) {
      openCompose(ctx.query.to);
    } else {
      pane.replaceChildren(h('p', { class: 'muted empty-pane' }, 'Choose a conversation, or start a new message.'));
    }
  },
};
