// The pre-connection check page (Chromium: declarativeNetRequest redirects a navigation to a local
// https address here; Firefox: the blocking listener does, for a new printer only). It asks the
// background, which asks the host, and goes on at once when there is nothing to ask the person;
// otherwise it shows the printer and asks. Nothing has contacted the printer from the browser yet,
// so a certificate trusted here is trusted on the very next connection (docs/browser-behaviour.md §6).
//
// Any web page can open or frame this page with any fragment, so: framed, it does nothing; it only
// ever goes on to the inspected printer's own origin (continuation.js); the background refuses
// addresses outside the chosen networks and remembers an answer only after a successful inspect.
import { parseTarget } from '../lib/address.js';
import { ask } from '../lib/background_client.js';
import { BROWSER_FAMILY, t } from '../lib/browser.js';
import { el, renderError, renderInspect } from '../ui/cert_view.js';
import { movedBox, policyBox } from '../ui/decision_view.js';
import { exportOffer } from '../ui/export_view.js';
import { refuseFramed } from '../ui/frame_guard.js';
import { localizeDocument } from '../ui/i18n_dom.js';
import { errorText } from '../ui/messages.js';
import { canContinueAfter, continuationUrl } from './continuation.js';

const content = document.getElementById('content');
const showError = (e) => renderError(e, errorText);

function buttons(...list) {
  return el('div', { class: 'buttons' }, ...list.filter(Boolean));
}

function show(...nodes) {
  content.replaceChildren(...nodes.filter(Boolean));
}

// The page the navigation was for, on the origin the background checked (never the raw fragment).
function proceed(next) {
  location.replace(next);
}

function continueButton(next, key = 'buttonContinue') {
  const later = el('button', { id: 'continue', text: t(key) });
  later.addEventListener('click', async () => {
    later.disabled = true;
    try {
      await ask('allow', { url: next });
      proceed(next);
    } catch (e) {
      later.replaceWith(showError(e));
    }
  });
  return later;
}

function retryButton() {
  const retry = el('button', { id: 'retry', text: t('buttonTryAgain') });
  retry.addEventListener('click', () => location.reload());
  return retry;
}

function exportFor(outcome) {
  const { url } = outcome.inspect.target;
  const { sha256 } = outcome.inspect.certificate;
  return exportOffer({ sha256, fetchExport: () => ask('exportCert', { url, sha256 }), renderError: showError });
}

async function onTrust(outcome, next, button) {
  button.disabled = true;
  const status = el('p', { class: 'status', text: t('statusTrusting') });
  content.append(status);
  try {
    const trusted = await ask('trust', {
      url: outcome.inspect.target.url,
      sha256: outcome.inspect.certificate.sha256,
      beforeFirstContact: true,
    });
    if (trusted.effect === 'after_restart') {
      status.replaceWith(el('p', { class: 'notice', id: 'after-restart', text: t('trustAfterRestart') }), exportFor(outcome));
      return;
    }
    proceed(next);
  } catch (e) {
    status.replaceWith(showError(e));
    button.disabled = false;
  }
}

function showOutcome(outcome, target, next) {
  const { action, reason } = outcome.decision;
  if (outcome.error) {
    // No answer about the printer: nothing is remembered, so going on is the person's choice.
    const more = canContinueAfter(outcome.error.code) ? continueButton(next) : null;
    show(showError(outcome.error), buttons(retryButton(), more));
    return;
  }
  const view = renderInspect(outcome.inspect, BROWSER_FAMILY);
  const intro = el('p', { id: 'intro', text: t('checkIntroDevice', [target.hostname]) });
  if (action === 'explain' && reason === 'san_mismatch') {
    const moved = movedBox(outcome.inspect, outcome.decision, {
      renderError: showError,
      onUntrust: () =>
        ask('untrust', { sha256: outcome.inspect.certificate.sha256, origins: [outcome.target.origin] }),
    });
    show(intro, moved, view, buttons(continueButton(next, 'buttonOpenAnyway')));
    return;
  }
  if (action === 'explain' && (reason === 'policy_forbids' || reason === 'policy_invalid')) {
    show(intro, view, policyBox(reason), buttons(continueButton(next)));
    return;
  }
  if (action === 'explain') {
    const key = outcome.decision.trusted ? 'trustedButUnusable' : 'popupCannotUse';
    view.append(el('p', { class: 'error', id: 'cannot-use', text: t(key) }));
    show(intro, view, buttons(continueButton(next, outcome.decision.trusted ? 'buttonOpenAnyway' : 'buttonContinue')));
    return;
  }
  const trust = el('button', { class: 'primary', id: 'trust', text: t('buttonTrust') });
  trust.addEventListener('click', () => void onTrust(outcome, next, trust));
  show(
    intro,
    el('p', { id: 'intro-trust', text: t('checkIntroTrust') }),
    view,
    el('p', { class: 'hint', text: t('compareHint') }),
    buttons(trust, continueButton(next)),
    // The page goes on to the printer right after a trust; tablets are served from the popup there.
    el('p', { class: 'hint', id: 'export-later', text: t('exportLaterHint') }),
  );
}

async function main() {
  // Framed by some page: nothing to see, nothing asked (frame_guard.js).
  if (refuseFramed()) return;
  localizeDocument();
  // The original URL travels in the fragment (dnr_rules.js); it never leaves the browser.
  const url = location.hash.slice(1);
  const target = parseTarget(url);
  if (!target) {
    show(el('p', { class: 'notice', id: 'not-printer', text: t('checkNotPrinterUrl') }));
    return;
  }
  document.title = t('checkTitleFor', [target.hostname]);
  let outcome;
  try {
    outcome = await ask('precheck', { url });
  } catch (e) {
    // not_in_networks, bad_url: not a printer address this extension serves; nothing to go on to.
    show(showError(e));
    return;
  }
  const next = continuationUrl(url, outcome.target.origin);
  const { action } = outcome.decision;
  if (!outcome.error && (action === 'pass' || action === 'trust')) {
    proceed(next);
    return;
  }
  showOutcome(outcome, target, next);
}

main().catch((e) => show(showError(e)));
