// "Export for iPad / Android": the host's export-cert (docs/protocol.md) gives the printer's
// certificate as an iOS/iPadOS configuration profile and as a certificate file for Android; the
// page offers both as downloads (a Blob and <a download>: no downloads permission) with the steps
// on each device. Safari and Android browsers have no extension for this: the person installs the
// file on the tablet by hand.
import { t } from '../lib/browser.js';
import { normalizeFingerprint } from '../lib/fingerprint.js';
import { HostError } from '../lib/host_client.js';
import { el } from './cert_view.js';

export const STEPS = Object.freeze({
  ios: ['exportIosStep1', 'exportIosStep2', 'exportIosStep3'],
  android: ['exportAndroidStep1', 'exportAndroidStep2', 'exportAndroidStep3'],
});

function base64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// The two files of an export-cert result, checked against the fingerprint the page showed:
// [{id, device, name, type, data}]. Android takes DER (.crt) on every version; the PEM is the
// fallback when a host gives no DER.
export function exportFiles(result, sha256) {
  const wanted = normalizeFingerprint(sha256);
  if (!result || !wanted || normalizeFingerprint(result.sha256) !== wanted) {
    throw new HostError('fingerprint_mismatch', 'The exported certificate is not the one shown.');
  }
  const stem = /^[A-Za-z0-9._-]{1,80}$/.test(result.file_stem ?? '') ? result.file_stem : 'epos-printer';
  const files = [];
  if (typeof result.mobileconfig === 'string' && result.mobileconfig.length > 0) {
    files.push({
      id: 'export-ios',
      device: 'ios',
      name: `${stem}.mobileconfig`,
      type: 'application/x-apple-aspen-config',
      data: result.mobileconfig,
    });
  }
  const der = typeof result.crt_der_base64 === 'string' && result.crt_der_base64 ? base64Bytes(result.crt_der_base64) : null;
  if (der || result.crt_pem) {
    files.push({
      id: 'export-android',
      device: 'android',
      name: `${stem}.crt`,
      type: 'application/x-x509-ca-cert',
      data: der ?? result.crt_pem,
    });
  }
  if (files.length === 0) throw new HostError('internal', 'The export has no files.');
  return files;
}

function downloadLink(file) {
  const href = URL.createObjectURL(new Blob([file.data], { type: file.type }));
  return el('a', {
    class: 'download',
    id: file.id,
    href,
    download: file.name,
    text: t(file.device === 'ios' ? 'exportDownloadIos' : 'exportDownloadAndroid', [file.name]),
  });
}

function stepsFor(device) {
  const list = el('ol', { class: 'steps', 'data-device': device });
  for (const key of STEPS[device]) list.append(el('li', { text: t(key) }));
  return list;
}

// The offer: a button; on click fetchExport() (the background's exportCert) and then the files,
// each with its steps. renderError(e) makes the error box.
export function exportOffer({ sha256, fetchExport, renderError }) {
  const box = el('div', { class: 'notice export', id: 'export' });
  const button = el('button', { id: 'export-button', text: t('buttonExportTablets') });
  box.append(el('p', { text: t('exportIntro') }), el('div', { class: 'buttons' }, button));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const files = exportFiles(await fetchExport(), sha256);
      const shown = files.flatMap((file) => [
        el('h3', { text: t(file.device === 'ios' ? 'exportIosTitle' : 'exportAndroidTitle') }),
        el('p', {}, downloadLink(file)),
        stepsFor(file.device),
      ]);
      button.parentElement.replaceWith(...shown, el('p', { class: 'hint', text: t('exportCompareHint') }));
    } catch (e) {
      button.disabled = false;
      box.append(renderError(e));
    }
  });
  return box;
}
