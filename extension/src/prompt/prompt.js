// The POS question, on the extension's own tab (lib/prompt_tabs.js): no web page can reach,
// style, focus or rewrite it. It shows what the background's question holds (lib/pos_flow.js
// model): the printer, its certificate and the names it covers, the verdict and the POS origin
// that asked; Trust or Not now; then, truthfully, what happened: "printed" only once the printer's
// answer said success. Closing the tab is Not now.
import { BROWSER_FAMILY, api, t } from '../lib/browser.js';
import { groupFingerprint } from '../lib/fingerprint.js';
import { eposFailureKind } from '../lib/epos_reply.js';
import { formatDate, verdictText } from '../ui/cert_view.js';
import { localizeDocument } from '../ui/i18n_dom.js';
import { errorText, findingText } from '../ui/messages.js';

const $ = (id) => document.getElementById(id);
const button = (role) => document.querySelector(`[data-role="${role}"]`);

// The words for a failed print or trust, by the code the background kept (host error codes,
// epos:<ePOS code> for the printer's own refusal).
export function failureText(reason) {
  if (reason.startsWith('epos:')) {
    const code = reason.slice(5);
    const key = {
      cover_open: 'posFailCoverOpen',
      paper_out: 'posFailPaperOut',
      printer_busy: 'posFailPrinterBusy',
      printer_fault: 'posFailPrinterFault',
      device_not_found: 'posFailDeviceNotFound',
    }[eposFailureKind(code)];
    return key ? t(key) : t('posFailRefused', [code]);
  }
  if (['unreachable', 'resolve_failed', 'not_tls', 'tls_failed'].includes(reason)) return t('posFailUnreachable');
  if (reason === 'timeout' || reason === 'host_timeout') return t('posFailTimeout');
  if (reason === 'fingerprint_mismatch') return t('posFailFingerprint');
  return t('posFailOther', [errorText({ code: reason }).title]);
}

// inspect's certificate.names ([{type, value, scope}]); from a host without it, the SAN
// ({dns: [...], ip: [...]}) with no scope, and the CN where there is no SAN.
export function namesOf(model) {
  if (Array.isArray(model.names)) return model.names;
  const san = model.san && typeof model.san === 'object' ? model.san : {};
  const list = [
    ...(Array.isArray(san.dns) ? san.dns.map((value) => ({ type: 'dns', value, scope: '' })) : []),
    ...(Array.isArray(san.ip) ? san.ip.map((value) => ({ type: 'ip', value, scope: '' })) : []),
  ];
  if (list.length === 0 && model.cn) list.push({ type: 'cn', value: model.cn, scope: '' });
  return list;
}

function nameItems(model) {
  const names = namesOf(model);
  return names.map((n) => {
    const li = document.createElement('li');
    li.textContent = n.scope ? `${n.value} (${t(n.scope === 'local' ? 'scopeLocal' : 'scopePublic')})` : n.value;
    if (n.scope) li.dataset.scope = n.scope;
    return li;
  });
}

let shown = null;

function renderFacts(model) {
  $('origin').textContent = model.origin;
  $('address').textContent = model.address;
  $('epson').textContent = t(model.epson ? 'yesEpson' : 'noEpson');
  $('fingerprint').textContent = groupFingerprint(model.sha256, { lines: 4 });
  $('fingerprint').dataset.sha256 = model.sha256;
  $('names').replaceChildren(...nameItems(model));
  $('validity').textContent = model.notBefore
    ? t('validityRange', [formatDate(model.notBefore), formatDate(model.notAfter)])
    : '';
  const verdict = verdictText(model.verdict?.[BROWSER_FAMILY]);
  $('verdict').className = `verdict ${verdict.cls}`;
  $('verdict').textContent = verdict.text;
  const findings = model.findings.filter((f) => f.code !== 'not_epos' || !model.epson);
  $('findings').replaceChildren(
    ...findings.map((f) => {
      const text = findingText(f);
      const li = document.createElement('li');
      li.className = `finding ${f.severity}`;
      li.dataset.code = f.code;
      const what = document.createElement('strong');
      what.textContent = text.what;
      li.append(what);
      if (text.action) {
        const act = document.createElement('span');
        act.className = 'action';
        act.textContent = text.action;
        li.append(act);
      }
      return li;
    }),
  );
  $('findings-section').hidden = findings.length === 0;
}

const STATUS = {
  // Nothing held (a print that failed before it could be held): nothing is sent on Trust.
  asking: (model) => t(model.held > 0 ? 'statusPosAsking' : 'statusPosAskingNothingHeld'),
  trusting: () => t('statusTrusting'),
  printing: () => t('statusPosSending'),
  printed: () => t('statusPosPrinted'),
  trusted: (model) => t(model.reason === 'direct' ? 'posTrustedSentDirect' : 'posTrustedPrintAgain'),
  declined: () => t('statusPosDeclined'),
};

function render(model, port) {
  if (!model) {
    $('status').dataset.state = 'failed';
    $('status').textContent = t('posQuestionGone');
    button('close').hidden = false;
    return;
  }
  if (!shown) renderFacts(model);
  shown = model;
  const { state } = model;
  const trusted = ['printing', 'printed', 'print_failed', 'trusted'].includes(state);
  const unusable = state === 'failed' && model.action === 'explain';
  $('title').textContent = t(trusted ? 'posTitleTrusted' : unusable ? 'posCannotUseTitle' : 'posPromptTitle');
  document.title = $('title').textContent;
  const introKey = !model.reactive ? 'posAskIntro' : model.cause === 'lna' ? 'posAskIntroLna' : 'posAskIntroReactive';
  $('intro').textContent = t(introKey, [model.origin, model.address]);
  $('status').dataset.state = state;
  if (state === 'print_failed') {
    $('status').textContent = `${t('posTrustedNotPrinted')} ${failureText(model.reason)}`;
  } else if (state === 'failed') {
    const cannot = model.decisionReason === 'not_epos' ? 'posFailNotEpos' : 'posFailUnusable';
    $('status').textContent = unusable ? t(cannot) : `${t('posTrustFailed')} ${failureText(model.reason)}`;
  } else {
    $('status').textContent = (STATUS[state] ?? (() => t('statusChecking')))(model);
  }
  button('trust').hidden = state !== 'asking';
  button('decline').hidden = state !== 'asking';
  button('close').hidden = !['print_failed', 'failed'].includes(state);
  if (state === 'asking' && !port.focused) {
    port.focused = true;
    button('decline').focus(); // Enter on a freshly opened tab never trusts
  }
}

function main() {
  localizeDocument();
  const questionId = decodeURIComponent(location.hash.slice(1));
  const port = api.runtime.connect({ name: 'epos-prompt' });
  port.onMessage.addListener((m) => {
    if (m?.type === 'model') render(m.model, port);
  });
  port.postMessage({ type: 'watch', id: questionId });
  // Chromium stops an idle extension service worker after 30 s, and with it the held print; a
  // message on the port keeps it alive while the person reads (Chromium 114+).
  const keepAlive = setInterval(() => {
    try {
      port.postMessage({ type: 'ping' });
    } catch {
      clearInterval(keepAlive);
    }
  }, 20000);
  const answer = (what) => {
    button('trust').disabled = true;
    button('decline').disabled = true;
    port.postMessage({ type: 'answer', answer: what });
  };
  button('trust').addEventListener('click', () => answer('trust'));
  button('decline').addEventListener('click', () => answer('decline'));
  button('close').addEventListener('click', () => {
    port.postMessage({ type: 'close' });
    if (!shown || shown.state === 'failed' || shown.state === 'print_failed') window.close();
  });
}

if (typeof document !== 'undefined' && document.getElementById('status')) main();
