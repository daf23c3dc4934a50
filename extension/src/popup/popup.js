// The toolbar popup: on a printer's warning tab, show what the host found and offer "Trust this
// printer"; then reload the tab and say plainly whether it is now secure, or what is left to do.
import { parseTarget } from '../lib/address.js';
import { ask } from '../lib/background_client.js';
import { api, BROWSER_FAMILY, t } from '../lib/browser.js';
import { el, renderError, renderInspect } from '../ui/cert_view.js';
import { movedBox, policyBox } from '../ui/decision_view.js';
import { exportOffer } from '../ui/export_view.js';
import { refuseFramed } from '../ui/frame_guard.js';
import { localizeDocument } from '../ui/i18n_dom.js';
import { errorText } from '../ui/messages.js';
import { reloadAndWatch } from '../ui/watch_load.js';
import { showPosOffer } from './pos_offer.js';
import { afterRestartAdvice } from './restart_advice.js';

const content = document.getElementById('content');
const showError = (e) => renderError(e, errorText);

function show(...nodes) {
  content.replaceChildren(...nodes);
}

// The tab this popup speaks for: the active tab, or (opened as a page, as the end-to-end tests
// do) the tab given by ?tab=<id> or ?url=<url>.
async function targetTab() {
  const params = new URLSearchParams(location.search);
  if (params.has('tab')) return api.tabs.get(Number(params.get('tab')));
  if (params.has('url')) {
    const wanted = params.get('url');
    const tabs = await api.tabs.query({});
    return tabs.find((tab) => tab.url === wanted) ?? null;
  }
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab ?? null;
}

function exportFor(inspect) {
  const { url } = inspect.target;
  const { sha256 } = inspect.certificate;
  return exportOffer({ sha256, fetchExport: () => ask('exportCert', { url, sha256 }), renderError: showError });
}

async function onTrust(tab, inspect, view, button) {
  button.disabled = true;
  const status = el('p', { class: 'status', id: 'progress', text: t('statusTrusting') });
  view.append(status);
  let outcome;
  try {
    outcome = await ask('trust', { url: inspect.target.url, sha256: inspect.certificate.sha256 });
  } catch (e) {
    status.replaceWith(showError(e));
    button.disabled = false;
    return;
  }
  view.append(exportFor(inspect));
  if (outcome.effect === 'after_restart') {
    status.replaceWith(el('p', { class: 'success', text: t('trustInstalled') }), await afterRestartAdvice(tab));
    return;
  }
  status.textContent = t('statusReloading');
  const result = await reloadAndWatch(tab.id);
  if (result === 'secure') {
    status.replaceWith(el('p', { class: 'success', id: 'secure', text: t('popupSecure') }));
    void ask('clearTab', { tabId: tab.id });
  } else if (result === 'rejected') {
    // Chromium keeps a certificate it has rejected rejected for 30 minutes (docs/browser-behaviour.md §6).
    status.replaceWith(el('p', { class: 'success', text: t('trustInstalled') }), await afterRestartAdvice(tab));
  } else {
    status.replaceWith(el('p', { class: 'error', text: t('popupReloadFailed') }));
  }
}

// What the popup shows for the host's answer (lib/check_service.js check: the decision of
// precheck.js, which the check page and the POS share).
async function showCheck(tab, outcome) {
  if (outcome.error) {
    show(showError(outcome.error));
    return;
  }
  const { inspect, decision } = outcome;
  const view = renderInspect(inspect, BROWSER_FAMILY);
  show(view);
  if (decision.action === 'explain' && decision.reason === 'san_mismatch') {
    // Moved after it was trusted: no restart fixes this, the printer must change (or move back).
    view.prepend(
      movedBox(inspect, decision, {
        renderError: showError,
        onUntrust: () => ask('untrust', { sha256: inspect.certificate.sha256, origins: [outcome.target.origin] }),
      }),
    );
    return;
  }
  if (decision.action === 'explain' && decision.trusted) {
    // Trusted, and refused anyway (expired since, ...): a restart would not help.
    view.append(el('p', { class: 'error', id: 'cannot-use', text: t('trustedButUnusable') }));
    return;
  }
  if ((inspect.trusted?.stores ?? []).length > 0) {
    view.append(el('p', { class: 'success', id: 'already', text: t('popupAlreadyTrusted') }));
    const rejected = Boolean(await ask('tabState', { tabId: tab.id }));
    if (rejected) view.append(await afterRestartAdvice(tab));
    view.append(exportFor(inspect));
    return;
  }
  if (decision.action === 'explain' && (decision.reason === 'policy_forbids' || decision.reason === 'policy_invalid')) {
    view.append(policyBox(decision.reason));
    return;
  }
  // A device that did not answer as Epson is let through by the decision (not_epos), but the
  // popup still offers Trust for it: not where the host would refuse the install.
  if (outcome.policy?.installs_allowed === false && decision.action !== 'trust') {
    view.append(policyBox(outcome.policy.error ? 'policy_invalid' : 'policy_forbids'));
    return;
  }
  if (inspect.verdict?.[BROWSER_FAMILY] !== 'usable') {
    view.append(el('p', { class: 'error', id: 'cannot-use', text: t('popupCannotUse') }));
    return;
  }
  view.append(el('p', { class: 'hint', text: t('compareHint') }));
  const button = el('button', { class: 'primary', id: 'trust', text: t('buttonTrust') });
  button.addEventListener('click', () => void onTrust(tab, inspect, view, button));
  view.append(el('div', { class: 'buttons' }, button));
}

async function main() {
  if (refuseFramed()) return;
  localizeDocument();
  const tab = await targetTab();
  const target = tab ? parseTarget(tab.url) : null;
  const settings = await ask('settings');
  if ((!target || target.addressClass === 'name') && (await showPosOffer(tab, show))) return;
  if (!target) {
    show(el('p', { class: 'notice', id: 'not-printer', text: t('popupNotPrinter') }));
    return;
  }
  if (target.addressClass === 'name') {
    // An https page reached by name may well be a printer: say what epos-trust needs instead.
    show(el('p', { class: 'notice', id: 'by-name', text: t('popupByName', [target.hostname]) }));
    return;
  }
  if (!settings.networks.includes(target.addressClass)) {
    show(el('p', { class: 'notice', id: 'not-local', text: t('popupNotLocal', [target.hostname]) }));
    return;
  }
  let outcome;
  try {
    outcome = await ask('check', { url: target.origin });
  } catch (e) {
    show(showError(e));
    return;
  }
  await showCheck(tab, outcome);
}

main().catch((e) => show(showError(e)));
