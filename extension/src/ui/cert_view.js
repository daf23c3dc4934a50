// Shows what the host found about a printer, in plain words: address, Epson or not, fingerprint
// grouped for reading aloud, validity, each finding with what to do on the printer, and whether
// this browser can use the certificate at all. Shared by the popup and the check page.
import { t } from '../lib/browser.js';
import { groupFingerprint } from '../lib/fingerprint.js';
import { findingText } from './messages.js';

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

export function formatDate(text) {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toLocaleDateString(undefined, { dateStyle: 'long' });
}

function row(label, value, cls = '') {
  return el('div', { class: `row ${cls}` }, el('dt', { text: label }), el('dd', {}, value));
}

export function verdictText(verdict) {
  if (verdict === 'usable') return { cls: 'good', text: t('verdictUsable') };
  if (verdict === 'dangerous') return { cls: 'bad', text: t('verdictDangerous') };
  return { cls: 'bad', text: t('verdictUnusable') };
}

// The names the certificate covers, [{type, value, scope}]: the host's certificate.names (each
// name with its scope, local or public), or for a host that does not give them yet, the SAN (then
// the CN when there is no SAN) with no scope.
export function certificateNames(cert) {
  if (Array.isArray(cert?.names)) {
    return cert.names
      .filter((n) => n && typeof n.value === 'string')
      .map((n) => ({ type: n.type, value: n.value, scope: n.scope === 'public' || n.scope === 'local' ? n.scope : '' }));
  }
  const ips = (cert?.san?.ip ?? []).map((value) => ({ type: 'ip', value, scope: '' }));
  const dns = (cert?.san?.dns ?? []).map((value) => ({ type: 'dns', value, scope: '' }));
  const names = [...dns, ...ips];
  if (names.length === 0 && cert?.common_name) names.push({ type: 'cn', value: cert.common_name, scope: '' });
  return names;
}

// One <li> per name, data-scope=local|public; a public name (a website could be called so) is
// marked in words, not only by colour.
export function renderNames(names) {
  const list = el('ul', { id: 'names', class: 'names' });
  for (const name of names) {
    const item = el('li', { 'data-scope': name.scope, 'data-type': name.type }, el('code', { text: name.value }));
    if (name.scope === 'public') item.append(el('span', { class: 'public-mark', text: t('namePublicMark') }));
    list.append(item);
  }
  if (names.length === 0) list.append(el('li', { class: 'none', text: t('namesNone') }));
  return list;
}

// Returns a <section> describing `inspect` (the host's inspect result) for `browser`
// ('chrome' or 'firefox').
export function renderInspect(inspect, browser) {
  const cert = inspect.certificate;
  const target = inspect.target;
  const section = el('section', { class: 'cert-view' });
  const facts = el('dl');
  facts.append(row(t('labelAddress'), `${target.host}:${target.port}`, 'address'));
  const epson = inspect.epos?.is_epos;
  facts.append(row(t('labelEpson'), t(epson ? 'yesEpson' : 'noEpson'), epson ? 'epson good' : 'epson'));
  const fp = el('code', {
    class: 'fingerprint',
    text: groupFingerprint(cert.sha256, { lines: 4 }),
    'data-sha256': cert.sha256,
  });
  facts.append(row(t('labelFingerprint'), fp, 'fingerprint-row'));
  facts.append(
    row(
      t('labelValidity'),
      t('validityRange', [formatDate(cert.not_before), formatDate(cert.not_after)]),
      'validity',
    ),
  );
  facts.append(row(t('labelNames'), renderNames(certificateNames(cert)), 'names-row'));
  section.append(facts);

  const verdict = verdictText(inspect.verdict?.[browser]);
  section.append(el('p', { class: `verdict ${verdict.cls}`, text: verdict.text }));

  const findings = (inspect.findings ?? []).filter((f) => f.code !== 'not_epos' || !epson);
  if (findings.length > 0) {
    const list = el('ul', { class: 'findings' });
    for (const finding of findings) {
      const text = findingText(finding);
      list.append(
        el(
          'li',
          { class: `finding ${finding.severity}`, 'data-code': finding.code },
          el('strong', { text: text.what }),
          text.action ? el('span', { class: 'action', text: text.action }) : null,
        ),
      );
    }
    section.append(el('h3', { text: t('labelFindings') }), list);
  }
  return section;
}

export function renderError(error, errorTextFn) {
  const text = errorTextFn(error);
  return el(
    'div',
    { class: 'error', 'data-code': error?.code ?? 'internal' },
    el('strong', { text: text.title }),
    text.detail ? el('p', { class: 'detail', text: text.detail }) : null,
  );
}
