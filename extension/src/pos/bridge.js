// The extension's side of the Odoo POS integration (isolated world). It answers the page hook's
// holds (pos/page_hook.js), asks the background whether the printer is trusted, and when the
// person must decide shows a prompt in the POS's own look, inside a shadow root so that the page's
// styles do not reach it. Only a real click of the person trusts (event.isTrusted): the page can
// see the prompt, but cannot answer it; what is trusted is the fingerprint held here, not the text.
(() => {
  'use strict';
  const api = globalThis.browser ?? globalThis.chrome;
  const t = (key, subs) => api.i18n.getMessage(key, subs) || key;
  const handled = new Map(); // printer origin -> Promise of the person's answer

  function send(message) {
    return api.runtime.sendMessage(message);
  }

  function emit(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: JSON.stringify(detail) }));
  }

  const STYLE = `
    :host { all: initial; }
    .backdrop { position: fixed; inset: 0; background: rgba(0,0,0,.45); z-index: 2147483647;
      display: flex; align-items: center; justify-content: center;
      font: 14px/1.5 Roboto, "Odoo Unicode Support Noto", "Helvetica Neue", Arial, sans-serif; color: #374151; }
    .modal { background: #fff; border-radius: 8px; width: min(520px, 92vw); max-height: 90vh; overflow: auto;
      box-shadow: 0 10px 30px rgba(0,0,0,.3); }
    header { padding: 16px 20px; border-bottom: 1px solid #e5e7eb; font-size: 18px; font-weight: 500; color: #111827; }
    .body { padding: 16px 20px; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 8px 0; }
    dt { color: #6b7280; } dd { margin: 0; }
    code { font: 13px/1.5 "DejaVu Sans Mono", monospace; white-space: pre; display: block; }
    ul { padding-left: 18px; margin: 6px 0; } li.error strong { color: #b91c1c; } li.warning strong { color: #92400e; }
    .action { display: block; color: #6b7280; }
    .bad { color: #b91c1c; font-weight: 500; } .good { color: #047857; font-weight: 500; }
    footer { padding: 12px 20px; border-top: 1px solid #e5e7eb; display: flex; gap: 8px; justify-content: flex-end; }
    button { font: inherit; border-radius: 4px; padding: 8px 16px; cursor: pointer; border: 1px solid transparent; }
    .primary { background: #714b67; color: #fff; } .primary:hover { background: #624159; }
    .secondary { background: #e7e9ed; color: #374151; }
    button:disabled { opacity: .6; cursor: default; }`;

  function node(tag, props = {}, ...children) {
    const el = document.createElement(tag);
    Object.assign(el, props);
    for (const c of children) if (c !== null && c !== undefined) el.append(c);
    return el;
  }

  // "Apply without restarting" in the prompt (Chromium that refused the printer before, where the
  // system's flush helper is installed: background.js posFlush). The background asks the host's
  // flush-chromium, then looks at the printer until this browser accepts it (about 7 s); the
  // person then prints again. Failed or still refused: the restart words, as without it.
  function offerFlush({ printer, status, footer }) {
    const apply = node('button', { className: 'primary', textContent: t('buttonApplyNow') });
    apply.dataset.role = 'flush';
    apply.addEventListener('click', async (e) => {
      if (!e.isTrusted) return;
      apply.disabled = true;
      status.className = '';
      status.textContent = t('statusFlushAsking');
      const started = await send({ type: 'pos-flush', printer });
      const answer = started?.ok ? started.value : { ok: false };
      if (!answer.ok) {
        status.className = 'bad';
        status.dataset.flush = 'failed';
        status.textContent = `${answer.error?.title ?? t('errInternal')} ${t('trustAfterRestart')}`;
        apply.remove();
        return;
      }
      status.dataset.flush = 'waiting';
      status.textContent = t('posFlushing', [String(answer.seconds)]);
      const done = await send({ type: 'pos-flush-outcome', printer });
      const secure = done?.ok && done.value.outcome === 'secure';
      status.dataset.flush = secure ? 'secure' : 'refused';
      status.className = secure ? 'good' : 'bad';
      status.textContent = t(secure ? 'posTrustedPrintAgain' : 'flushStillRefused');
      apply.remove();
    });
    footer.append(apply);
  }

  // Shows the prompt for `model` (background.js promptModel); resolves with true as soon as the
  // printer is trusted (the held print goes on while the prompt still says so), or with false
  // when the person closes it.
  function showPrompt(model, { reactive }) {
    return new Promise((resolve) => {
      const host = node('epos-trust-prompt');
      const root = host.attachShadow({ mode: 'open' });
      const close = (trusted) => {
        host.remove();
        resolve(trusted);
      };
      const facts = node(
        'dl',
        {},
        node('dt', { textContent: t('labelAddress') }),
        node('dd', { textContent: model.address }),
        node('dt', { textContent: t('labelEpson') }),
        node('dd', { textContent: t(model.epson ? 'yesEpson' : 'noEpson') }),
        node('dt', { textContent: t('labelFingerprint') }),
        node('dd', {}, node('code', { textContent: model.fingerprint })),
        node('dt', { textContent: t('labelValidity') }),
        node('dd', { textContent: model.validity }),
      );
      const findings = node('ul');
      for (const f of model.findings) {
        findings.append(
          node(
            'li',
            { className: f.severity },
            node('strong', { textContent: f.what }),
            f.action ? node('span', { className: 'action', textContent: f.action }) : null,
          ),
        );
      }
      const usable = model.action === 'prompt';
      const status = node('p', {
        id: 'status',
        className: usable ? '' : 'bad',
        textContent: usable ? t('posPromptBody', [model.address]) : t('popupCannotUse'),
      });
      const body = node('div', { className: 'body' }, status, facts, model.findings.length ? findings : null);
      const footer = node('footer');
      const modal = node(
        'div',
        { className: 'modal', role: 'dialog', ariaModal: 'true' },
        node('header', { textContent: t(usable ? 'posPromptTitle' : 'posCannotUseTitle') }),
        body,
        footer,
      );
      modal.dataset.eposTrust = model.action;
      const later = node('button', { className: 'secondary', textContent: t(usable ? 'buttonNotNow' : 'buttonClose') });
      later.dataset.role = 'decline';
      later.addEventListener('click', (e) => e.isTrusted && close(false));
      footer.append(later);
      if (usable) {
        const trust = node('button', { className: 'primary', textContent: t('buttonTrust') });
        trust.dataset.role = 'trust';
        trust.addEventListener('click', async (e) => {
          // Only the person's own click may trust: the page can dispatch synthetic events.
          if (!e.isTrusted) return;
          trust.disabled = true;
          later.disabled = true;
          status.className = '';
          status.textContent = t('statusTrusting');
          const reply = await send({ type: 'pos-trust', printer: model.url, sha256: model.sha256, reactive });
          const outcome = reply?.ok ? reply.value : { ok: false, error: reply?.error };
          if (outcome.ok) {
            resolve(true);
            status.className = 'good';
            status.dataset.effect = outcome.effect;
            if (outcome.effect === 'after_restart') {
              status.textContent = t(outcome.flush ? 'posFlushOffer' : 'trustAfterRestart');
            } else {
              status.textContent = t(reactive ? 'posTrustedPrintAgain' : 'posTrustedPrinting');
            }
            trust.remove();
            later.textContent = t('buttonClose');
            later.disabled = false;
            if (outcome.effect === 'after_restart' && outcome.flush) {
              offerFlush({ printer: model.url, status, footer });
            }
            if (!reactive && outcome.effect !== 'after_restart') setTimeout(() => close(true), 1200);
            later.addEventListener('click', () => close(true), { once: true });
          } else {
            status.className = 'bad';
            status.textContent = outcome.error?.title ?? t('errInternal');
            later.disabled = false;
          }
        });
        footer.append(trust);
      }
      root.append(node('style', { textContent: STYLE }), node('div', { className: 'backdrop' }, modal));
      (document.body ?? document.documentElement).append(host);
      // For the end-to-end tests and assistive tools: the prompt's state, without opening the root.
      host.dataset.state = model.action;
    });
  }

  async function check(printer, { reactive = false } = {}) {
    if (!handled.has(printer)) {
      handled.set(
        printer,
        (async () => {
          const reply = await send({ type: 'pos-check', printer });
          const answer = reply?.ok ? reply.value : { proceed: true };
          if (answer.proceed || !answer.prompt) return;
          await showPrompt(answer.prompt, { reactive });
        })().catch((e) => console.warn('epos-trust:', e)),
      );
    }
    return handled.get(printer);
  }

  document.addEventListener('epos-trust:hold', (event) => {
    let request;
    try {
      request = JSON.parse(event.detail);
    } catch {
      return;
    }
    emit('epos-trust:ack', { id: request.id });
    // Whatever the answer, the request goes on: trusted, it prints; declined, it fails as before.
    check(String(request.printer)).finally(() => emit('epos-trust:release', { id: request.id }));
  });

  api.runtime.onMessage.addListener((message) => {
    if (message?.type === 'pos-reactive') void check(message.printer, { reactive: true });
  });
})();
