// components/table.js — the one paged, filterable table used by every list
// page. It owns: the filter form, paging (skip/limit over {data,total,skip,
// limit} answers), row rendering, loading/empty/error states, keeping its state
// in the address (so reload and back keep filters), and CSV export of
// everything the current filter matches (all pages fetched, CSV built here).
import { h, field, formValues, button } from '../dom.js';
import { describe } from '../errors.js';
import { toCsv, download } from '../csv.js';
import { number, today, zone, isInstant, csvDateTime } from '../format.js';
import { allPages } from '../api.js';

const PAGE_SIZES = [25, 50, 100, 200];
const PHONE_TEXT = /^\+?\d[\d ().-]{5,}$/;

/**
 * spec:
 *  caption      what the table lists ("Calls")
 *  columns      [{key, label, render?(row)→Node|string, csv?(row)→value | false, csvOnly?, className?}]
 *               (className 'col-low': a column hidden below 1440 px and on phones, still in the CSV)
 *  filters      [{name, label, type:'text'|'search'|'date'|'select'|'tel', options?, placeholder?, toQuery?(v)→object}]
 *  fetchPage    (query {…filters, skip, limit}, signal) → Promise<{data,total,skip,limit}>
 *  state        initial {…filter values, skip, limit} (usually ctx.query)
 *  onState      (state) → void, to mirror it in the address
 *  actions      (row, {refresh}) → Node|Node[]  (a last "Actions" column)
 *  toolbar      extra nodes beside the export button
 *  csvName      file name stem; false for no export
 *  empty        text shown when nothing matches
 *  signal       aborts loading when the page is left
 */
export function dataTable(spec) {
  const filters = spec.filters ?? [];
  const st = {
    values: Object.fromEntries(filters.map((f) => [f.name, spec.state?.[f.name] ?? f.value ?? ''])),
    skip: Math.max(0, Number(spec.state?.skip) || 0),
    limit: PAGE_SIZES.includes(Number(spec.state?.limit)) ? Number(spec.state.limit) : 50,
    total: 0,
  };
  let loadCtl = null;
  let exportCtl = null;

  // ---- filter form --------------------------------------------------------
  const filterForm = filters.length ? h('form', { class: 'filters', role: 'search', 'aria-label': `Filter ${spec.caption.toLowerCase()}` },
    filters.map((f) => field({ ...f, type: f.type === 'search' ? 'search' : f.type, value: st.values[f.name], id: `flt-${spec.caption.replace(/\W+/g, '-').toLowerCase()}-${f.name}` })),
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply filters'),
      h('button', { type: 'reset', class: 'btn' }, 'Clear'))) : null;

  filterForm?.addEventListener('submit', (e) => {
    e.preventDefault();
    st.values = { ...st.values, ...formValues(filterForm) };
    st.skip = 0;
    filterPanel.classList.remove('open');
    filterToggle.setAttribute('aria-expanded', 'false');
    load();
  });
  filterForm?.addEventListener('reset', () => {
    // let the browser clear the inputs first
    setTimeout(() => {
      for (const f of filters) {
        const el = filterForm.elements[f.name];
        if (el) el.value = f.type === 'select' ? (f.options?.[0]?.value ?? f.options?.[0] ?? '') : '';
      }
      st.values = formValues(filterForm);
      st.skip = 0;
      load();
    });
  });

  // ---- table --------------------------------------------------------------
  const cols = spec.columns.filter((c) => !c.csvOnly);
  if (spec.actions) cols.push({ key: '__actions', label: 'Actions', className: 'col-actions', render: (row) => spec.actions(row, { refresh: load }) });
  const tbody = h('tbody');
  const table = h('table', { class: 'data-table', dataset: { state: 'loading' } },
    h('caption', { class: 'sr-only' }, spec.caption),
    h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col', class: c.className }, c.label)))),
    tbody);

  const count = h('p', { class: 'table-count', 'aria-live': 'polite' });
  const exportStatus = h('p', { class: 'export-status', role: 'status' });
  const errorSlot = h('div');
  const exportBtn = spec.csvName === false ? null : button('Export CSV', () => exportCsv(), { class: 'btn' });
  const cancelExportBtn = button('Cancel export', () => exportCtl?.abort(), { class: 'btn' });
  cancelExportBtn.hidden = true;

  const prev = button('Previous', () => { st.skip = Math.max(0, st.skip - st.limit); load(); }, { class: 'btn' });
  const next = button('Next', () => { st.skip += st.limit; load(); }, { class: 'btn' });
  const pageInfo = h('span', { class: 'page-info' });
  const sizeId = `size-${Math.random().toString(36).slice(2, 8)}`;
  const sizeSel = h('select', { id: sizeId, onchange: (e) => { st.limit = Number(e.target.value); st.skip = 0; load(); } },
    PAGE_SIZES.map((n) => h('option', { value: n, selected: n === st.limit }, String(n))));

  // on phones the filter form folds behind a toggle that says how many filters are set
  const filterId = `flt-${Math.random().toString(36).slice(2, 8)}`;
  if (filterForm) filterForm.id = filterId;
  const filterToggle = filterForm ? h('button', { type: 'button', class: 'btn filter-toggle', 'aria-expanded': 'false', 'aria-controls': filterId }) : null;
  const filterPanel = filterForm ? h('div', { class: 'filter-panel' }, filterToggle, filterForm) : null;
  function showToggle() {
    const n = Object.values(st.values).filter((v) => v !== undefined && v !== '').length;
    filterToggle.textContent = n ? `Filters (${n})` : 'Filters';
  }
  filterToggle?.addEventListener('click', () => {
    const open = filterPanel.classList.toggle('open');
    filterToggle.setAttribute('aria-expanded', String(open));
  });

  const el = h('section', { class: 'table-block', 'aria-label': spec.caption },
    filterPanel,
    h('div', { class: 'table-toolbar' }, count, h('div', { class: 'toolbar-actions' }, spec.toolbar ?? null, exportBtn, cancelExportBtn)),
    exportStatus,
    errorSlot,
    h('div', { class: 'table-wrap' }, table),
    h('nav', { class: 'pager', 'aria-label': `${spec.caption} pages` },
      prev, pageInfo, next,
      h('span', { class: 'page-size' }, h('label', { for: sizeId }, 'Rows per page'), sizeSel)));

  function query() {
    const q = {};
    for (const f of filters) {
      const v = st.values[f.name];
      if (v === undefined || v === '') continue;
      Object.assign(q, f.toQuery ? f.toQuery(v) : { [f.name]: v });
    }
    return q;
  }

  // a phone number ("+1 212 555 1234") never breaks across lines
  const asCell = (v) => (typeof v === 'string' && PHONE_TEXT.test(v) ? h('span', { class: 'phone' }, v) : v);

  function renderRows(rows) {
    if (!rows.length) {
      tbody.replaceChildren(h('tr', { class: 'empty-row' }, h('td', { colspan: cols.length }, spec.empty ?? 'Nothing to show.')));
      return;
    }
    tbody.replaceChildren(...rows.map((row) => h('tr', { dataset: { id: row.id ?? '' } },
      cols.map((c, i) => {
        const v = asCell(c.render ? c.render(row) : row[c.key]);
        const cellTag = i === 0 ? 'th' : 'td';
        return h(cellTag, { class: c.className, dataset: { label: c.label }, scope: i === 0 ? 'row' : undefined }, h('div', { class: 'cell' }, v ?? '—'));
      }))));
  }

  async function load() {
    loadCtl?.abort();
    loadCtl = new AbortController();
    const signal = loadCtl.signal;
    table.dataset.state = 'loading';
    table.setAttribute('aria-busy', 'true');
    errorSlot.replaceChildren();
    if (filterToggle) showToggle();
    spec.onState?.({ ...Object.fromEntries(Object.entries(st.values).filter(([, v]) => v !== '')), skip: st.skip || undefined, limit: st.limit === 50 ? undefined : st.limit });
    try {
      const page = await spec.fetchPage({ ...query(), skip: st.skip, limit: st.limit }, signal);
      if (signal.aborted) return;
      if (page.data.length === 0 && st.skip > 0 && page.total > 0) { // past the end (rows were deleted)
        st.skip = Math.max(0, Math.floor((page.total - 1) / st.limit) * st.limit);
        load();
        return;
      }
      st.total = page.total;
      renderRows(page.data);
      const from = page.data.length ? st.skip + 1 : 0;
      const to = st.skip + page.data.length;
      count.textContent = page.total ? `Showing ${number(from)}–${number(to)} of ${number(page.total)}` : 'No results';
      const pages = Math.max(1, Math.ceil(page.total / st.limit));
      pageInfo.textContent = `Page ${number(Math.floor(st.skip / st.limit) + 1)} of ${number(pages)}`;
      prev.disabled = st.skip === 0;
      next.disabled = to >= page.total;
      if (exportBtn) exportBtn.disabled = page.total === 0;
      table.dataset.state = 'ready';
      table.dataset.total = String(page.total);
    } catch (err) {
      if (err?.name === 'AbortError' || signal.aborted) return;
      table.dataset.state = 'error';
      tbody.replaceChildren();
      count.textContent = '';
      errorSlot.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' },
        describe(err), ' ', button('Try again', () => load(), { class: 'btn btn-small' })));
    } finally {
      if (!signal.aborted) table.removeAttribute('aria-busy');
    }
  }

  async function exportCsv() {
    exportCtl = new AbortController();
    const signal = exportCtl.signal;
    exportBtn.disabled = true;
    cancelExportBtn.hidden = false;
    exportStatus.textContent = 'Preparing export…';
    try {
      const rows = await allPages((q) => spec.fetchPage(q, signal), query(), {
        onProgress: (n, total) => { exportStatus.textContent = `Exporting… ${number(n)} of ${number(total)} rows`; },
      });
      download(`${spec.csvName}-${today()}.csv`, toCsv(csvColumns(spec.columns, rows), rows));
      exportStatus.textContent = `Exported ${number(rows.length)} row${rows.length === 1 ? '' : 's'}.`;
    } catch (err) {
      exportStatus.textContent = err?.name === 'AbortError' ? 'Export cancelled.' : `Export failed: ${describe(err)}`;
    } finally {
      exportBtn.disabled = st.total === 0;
      cancelExportBtn.hidden = true;
      exportCtl = null;
    }
  }
  spec.signal?.addEventListener('abort', () => { loadCtl?.abort(); exportCtl?.abort(); });

  load();
  return { el, refresh: load, table };
}

/**
 * The CSV's columns. A column whose values are all instants ("…T…Z") is
 * written as local times of the shown zone (the org's), and its header says
 * which: "Date (America/Chicago)".
 */
export function csvColumns(columns, rows) {
  const tz = zone();
  return columns.filter((c) => c.csv !== false).map((c) => {
    const value = typeof c.csv === 'function' ? c.csv : (r) => r[c.key];
    const vals = rows.map(value).filter((v) => v !== null && v !== undefined && v !== '');
    if (!vals.length || !vals.every(isInstant)) return { label: c.label, value };
    return { label: `${c.label} (${tz})`, value: (r) => { const v = value(r); return isInstant(v) ? csvDateTime(v) : v; } };
  });
}
