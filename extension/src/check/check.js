// The pre-connection check page (Chromium: declarativeNetRequest redirects a navigation to a local
// https address here; Firefox: the blocking listener does, for a new printer only). It asks the
// background, which asks the host, and goes on at once when there is nothing to ask the person;
// otherwise it shows the printer and asks. Nothing has contacted the printer from the browser yet,
// so a certificate trusted here is trusted on the very next connection (FACTS.md 6).
import { parseTarget } from '../lib/address.js';
import { ask } from '../lib/background_client.js';
import { BROWSER_FAMILY, t } from '../lib/browser.js';
import { el, renderError, renderInspect } from '../ui/cert_view.js';
import { localizeDocument } from '../ui/i18n_dom.js';
import { errorText } from '../ui/messages.js';

const content = document.getElementById('content');
// The original URL travels in the fragment (dnr_rules.js); it never leaves the browser.
const url = location.hash.slice(1);
const target = parseTarget(url);

function proceed() {
  location.replace(url);
}

async function continueWithoutTrust() {
  await ask('allow', { url });
  proceed();
}

async function onTrust(inspect, button) {
  button.disabled = true;
  const status = el('p', { class: 'status', text: t('statusTrusting') });
  content.append(status);
  try {
    const outcome = await ask('trust', {
      url: inspect.target.url,
      sha256: inspect.certificate.sha256,
      beforeFirstContact: true,
    });
    if (outcome.effect === 'after_restart') {
      status.replaceWith(el('p', { class: 'notice', text: t('trustAfterRestart') }));
      return;
    }
    proceed();
  } catch (e) {
    status.replaceWith(renderError(e, errorText));
    button.disabled = false;
  }
}

function buttons(...list) {
  return el('div', { class: 'buttons' }, ...list);
}

async function main() {
  localizeDocument();
  if (!target) {
    content.replaceChildren(el('p', { class: 'error', text: t('popupNotPrinter') }));
    return;
  }
  document.title = t('checkTitleFor', [target.hostname]);
  const outcome = await ask('precheck', { url });
  const { action } = outcome.decision;
  if (action === 'pass' || action === 'trust') {
    proceed();
    return;
  }
  const later = el('button', { id: 'continue', text: t('buttonContinue') });
  later.addEventListener('click', () => void continueWithoutTrust());
  if (outcome.error) {
    content.replaceChildren(renderError(outcome.error, errorText), buttons(later));
    return;
  }
  const view = renderInspect(outcome.inspect, BROWSER_FAMILY);
  if (action === 'explain') {
    view.append(el('p', { class: 'error', id: 'cannot-use', text: t('popupCannotUse') }));
    content.replaceChildren(el('p', { text: t('checkIntro', [target.hostname]) }), view, buttons(later));
    return;
  }
  const trust = el('button', { class: 'primary', id: 'trust', text: t('buttonTrust') });
  trust.addEventListener('click', () => void onTrust(outcome.inspect, trust));
  content.replaceChildren(
    el('p', { text: t('checkIntro', [target.hostname]) }),
    view,
    el('p', { class: 'hint', text: t('compareHint') }),
    buttons(trust, later),
  );
}

main().catch((e) => content.replaceChildren(renderError(e, errorText)));
