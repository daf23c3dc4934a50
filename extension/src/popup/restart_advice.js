// What the popup says when this browser will not use a newly trusted printer before a restart
// (Chromium has already refused it: docs/browser-behaviour.md §6). Where the system package's flush helper is
// installed (hello.chromium_flush), it offers "Apply without restarting": the background asks the
// host's flush-chromium, waits until the browser accepts the printer (about 7 s), reloads the tab
// and says how that ended. Otherwise, and whenever the flush fails, plain words on restarting.
// It never ends browser processes.
import { ask } from '../lib/background_client.js';
import { IS_FIREFOX, t } from '../lib/browser.js';
import { el, renderError } from '../ui/cert_view.js';
import { errorText } from '../ui/messages.js';

export function restartAdvice() {
  return el(
    'div',
    { class: 'notice', id: 'restart' },
    el('strong', { text: t(IS_FIREFOX ? 'restartFirefoxTitle' : 'restartChromiumTitle') }),
    el('p', { text: t(IS_FIREFOX ? 'restartFirefoxBody' : 'restartChromiumBody') }),
  );
}

async function onFlush(tab, box, button) {
  button.disabled = true;
  const status = el('p', { class: 'status', id: 'flushing', text: t('statusFlushAsking') });
  box.append(status);
  let started;
  try {
    started = await ask('flushChromium', { tabId: tab.id, url: tab.url });
  } catch (e) {
    box.replaceWith(renderError(e, errorText), restartAdvice());
    return;
  }
  status.textContent = t('statusFlushing', [String(started.seconds)]);
  const result = await ask('flushOutcome', { tabId: tab.id });
  if (result === 'secure') {
    box.replaceWith(el('p', { class: 'success', id: 'secure', text: t('popupSecure') }));
    void ask('clearTab', { tabId: tab.id });
  } else {
    box.replaceWith(el('p', { class: 'error', id: 'still-refused', text: t('flushStillRefused') }), restartAdvice());
  }
}

function flushOffer(tab) {
  const button = el('button', { class: 'primary', id: 'flush', text: t('buttonApplyNow') });
  const box = el(
    'div',
    { class: 'notice', id: 'flush-offer' },
    el('strong', { text: t('flushChromiumTitle') }),
    el('p', { text: t('flushChromiumBody') }),
    el('div', { class: 'buttons' }, button),
  );
  button.addEventListener('click', () => void onFlush(tab, box, button));
  return box;
}

// The nodes to show for `tab` after a trust (or on an already trusted printer) that the running
// browser will only use after a restart.
export async function afterRestartAdvice(tab) {
  const offered = await ask('flushOffered', { effect: 'after_restart' }).catch(() => false);
  return offered ? flushOffer(tab) : restartAdvice();
}
