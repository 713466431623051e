// components/invitation-issued.js — what became of a new or resent
// invitation's mail (the answer of POST …/members by an org admin, or of
// …/invitations/:id/resend): a toast when it was sent or failed, or — when
// the server has no mail configured — the link shown once in `slot`, to be
// passed on by hand; and the role choices of the invite dialogs. Used by the
// Members and Extensions pages.
import { h, button } from '../dom.js';
import { copyButton } from './page.js';
import { toast } from '../notify.js';

export const ROLES = [{ value: 'agent', label: 'Agent' }, { value: 'manager', label: 'Manager' }, { value: 'org_admin', label: 'Org admin' }];
export const ROLE_HINT = 'Agents see call data; managers also run syncs and assign numbers; org admins manage members, integrations and API keys.';

export function showInvitationIssued(r, slot) {
  const email = r.invitation.email;
  if (r.invite_url) {
    const input = h('input', { id: 'invite-link', type: 'text', readonly: true, value: r.invite_url, class: 'mono', spellcheck: 'false', autocomplete: 'off' });
    const panel = h('section', { class: 'alert alert-success key-reveal', 'aria-labelledby': 'invite-link-title', tabindex: '-1' },
      h('h2', { id: 'invite-link-title' }, `Invitation link for ${email}`),
      h('p', null, h('strong', null, 'Copy it now and send it to them. '), 'No mail server is configured, and the link is not shown again (Resend makes a new one). It works once, for 7 days.'),
      h('div', { class: 'key-row' }, h('label', { for: 'invite-link', class: 'sr-only' }, 'Invitation link'), input, copyButton(() => r.invite_url, 'Copy link', input)),
      button('Done', () => slot.replaceChildren(), { class: 'btn' }));
    slot.replaceChildren(panel);
    panel.focus();
  } else if (r.mail?.sent) {
    toast(`Invitation sent to ${email}.`, 'success');
  } else {
    toast(`Invitation for ${email} saved, but the mail was not sent (${r.mail?.reason ?? 'unknown reason'}). Use Resend to try again.`, 'error');
  }
}
