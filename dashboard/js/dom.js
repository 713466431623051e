// dom.js — the one way views build DOM: h(tag, attrs, ...children).
// Never innerHTML with data: every string becomes a text node, so API data
// cannot inject markup (and the CSP forbids inline styles and scripts anyway).

const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'hidden', 'required', 'readOnly', 'multiple', 'open']);

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      else if (k === 'for') el.htmlFor = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
      else if (PROPS.has(k)) el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replace all children of el. */
export function mount(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let idSeq = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = 'f') { idSeq += 1; return `${prefix}-${idSeq}`; }

/** A labelled form field: {label, name, type, value, options, required, hint, autocomplete}. */
export function field(spec) {
  const id = spec.id ?? uid(spec.name);
  const hintId = spec.hint ? `${id}-hint` : undefined;
  let control;
  const common = {
    id, name: spec.name, required: spec.required, 'aria-describedby': [hintId, `${id}-error`].filter(Boolean).join(' '),
    autocomplete: spec.autocomplete, disabled: spec.disabled,
  };
  if (spec.type === 'checkboxes') {
    // a group of checkboxes; each checked one is the form value `${name}:${value}` = 'on'
    return h('fieldset', { class: ['field', 'checkbox-group', spec.className], id, 'aria-describedby': common['aria-describedby'] },
      h('legend', null, spec.label),
      (spec.options ?? []).map((o) => {
        const cid = `${id}-${String(o.value).replace(/[^a-z0-9]/gi, '-')}`;
        return h('div', { class: 'checkbox' },
          h('input', { type: 'checkbox', id: cid, name: `${spec.name}:${o.value}`, checked: (spec.value ?? []).includes(o.value) }),
          h('label', { for: cid }, o.label));
      }),
      spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null,
      h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
  }
  if (spec.type === 'select') {
    control = h('select', common, (spec.options ?? []).map((o) => {
      const opt = typeof o === 'object' ? o : { value: o, label: o };
      return h('option', { value: opt.value, selected: String(opt.value) === String(spec.value ?? '') }, opt.label);
    }));
  } else if (spec.type === 'textarea') {
    control = h('textarea', { ...common, rows: spec.rows ?? 3, maxlength: spec.maxlength, placeholder: spec.placeholder, value: spec.value ?? '' });
  } else {
    control = h('input', {
      ...common, type: spec.type ?? 'text', value: spec.value ?? '', placeholder: spec.placeholder,
      inputmode: spec.inputmode, min: spec.min, max: spec.max, maxlength: spec.maxlength,
      spellcheck: spec.type === 'password' ? 'false' : undefined,
    });
  }
  return h('div', { class: ['field', spec.className] },
    h('label', { for: id }, spec.label),
    control,
    spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
}

/** Values of a form as a plain object of trimmed strings. */
export function formValues(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) out[k] = typeof v === 'string' ? v.trim() : v;
  return out;
}

export function button(label, onClick, opts = {}) {
  return h('button', { type: opts.type ?? 'button', class: opts.class ?? 'btn', onclick: onClick,
    'aria-label': opts.ariaLabel, disabled: opts.disabled, dataset: opts.dataset }, label);
}
