// components/form-dialog.js — a modal form (create / edit dialogs): labelled
// fields, submit runs onSubmit(values); an API error is shown in the dialog
// next to the field it names and the dialog stays open.
import { h, field, formValues, uid } from '../dom.js';
import { showFormError, clearFormError } from '../errors.js';

/**
 * spec: {title, fields:[field specs], submitLabel, intro?, onSubmit(values) → Promise<any>}
 * Resolves with onSubmit's result, or null when cancelled.
 */
export function formDialog(spec) {
  return new Promise((resolve) => {
    const titleId = uid('dlg');
    const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, spec.submitLabel ?? 'Save');
    const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
    const form = h('form', { class: 'stack', novalidate: true },
      spec.intro ? h('p', null, spec.intro) : null,
      spec.fields.map((f) => field(f)),
      h('div', { class: 'dialog-actions' }, cancel, submit));
    const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, h('h2', { id: titleId }, spec.title), form);
    const labels = Object.fromEntries(spec.fields.map((f) => [f.name, f.label]));
    let result = null;
    cancel.addEventListener('click', () => dlg.close());
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFormError(form);
      const values = formValues(form);
      const missing = spec.fields.find((f) => f.required && !values[f.name]);
      if (missing) { showFormError(form, { status: 400, details: { field: missing.name, reason: 'this field is required' } }, { fieldLabels: labels }); return; }
      submit.disabled = true;
      try {
        result = await spec.onSubmit(values);
        dlg.close();
      } catch (err) {
        showFormError(form, err, { fieldLabels: labels });
      } finally {
        submit.disabled = false;
      }
    });
    dlg.addEventListener('close', () => { dlg.remove(); resolve(result); });
    document.body.append(dlg);
    dlg.showModal();
    form.querySelector('input, select, textarea')?.focus();
  });
}
