// The boxes for decisions that are not "trust this printer": a printer whose address changed
// after it was trusted (with the offer to remove the stale trust), and a machine policy that
// forbids the install. Shared by the popup and the check page so that both say the same.
import { t } from '../lib/browser.js';
import { movedPrinter } from '../lib/precheck.js';
import { el } from './cert_view.js';

// What the moved-printer box says, as keys and substitutions (unit-tested without a DOM).
export function movedModel(inspect, decision) {
  const { named, now } = movedPrinter(inspect);
  const old = named.join(', ');
  return {
    title: 'movedTitle',
    lines: [
      ['movedBody', [old || '?', now]],
      ['movedWhatToDo', [now, old || '?']],
    ],
    // Only a trust epos-trust installed can be removed by it (it never touches another's).
    canUntrust: Boolean(decision.trusted && inspect.trusted?.journal),
    trustedBySomeoneElse: Boolean(decision.trusted && !inspect.trusted?.journal),
  };
}

// onUntrust(): resolves when the stale trust is removed, rejects with the error to show.
export function movedBox(inspect, decision, { onUntrust, renderError } = {}) {
  const model = movedModel(inspect, decision);
  const box = el('div', { class: 'error', id: 'moved' }, el('strong', { text: t(model.title) }));
  for (const [key, subs] of model.lines) box.append(el('p', { text: t(key, subs) }));
  if (model.trustedBySomeoneElse) box.append(el('p', { text: t('movedOtherTrust') }));
  if (model.canUntrust && onUntrust) {
    const button = el('button', { id: 'untrust-stale', text: t('buttonRemoveStaleTrust') });
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await onUntrust();
        button.replaceWith(el('p', { class: 'success', id: 'stale-removed', text: t('movedTrustRemoved') }));
      } catch (e) {
        button.disabled = false;
        box.append(renderError(e));
      }
    });
    box.append(el('div', { class: 'buttons' }, button));
  }
  return box;
}

// reason: 'policy_forbids' or 'policy_invalid' (precheck.js decide).
export function policyBox(reason) {
  return el(
    'div',
    { class: 'notice', id: 'policy' },
    el('strong', { text: t('policyNoInstallTitle') }),
    el('p', { text: t(reason === 'policy_invalid' ? 'errPolicyInvalid' : 'policyNoInstallBody') }),
  );
}
