// The popup's offer on an Odoo POS page that is not configured yet: a print from it to a local
// ePOS printer failed (the background badged the tab, pos/pos_background.js). One click adds the
// page's exact origin to the person's settings; the POS page reloads with the print hold on.
import { ask } from '../lib/background_client.js';
import { t } from '../lib/browser.js';
import { el } from '../ui/cert_view.js';

// Shows the offer for `tab` with `show` and returns true, or returns false when there is none.
export async function showPosOffer(tab, show) {
  if (!tab) return false;
  const offer = await ask('posOffer', { tabId: tab.id }).catch(() => null);
  if (!offer) return false;
  const button = el('button', { class: 'primary', id: 'pos-offer', text: t('posOfferButton', [offer.origin]) });
  const view = el('section', { id: 'pos-offer-view' }, el('p', { class: 'notice', text: t('posOfferText') }));
  view.append(el('div', { class: 'buttons' }, button));
  button.addEventListener('click', async () => {
    button.disabled = true;
    const done = await ask('posOfferAccept', { tabId: tab.id }).catch(() => ({ added: false }));
    if (done.added) button.replaceWith(el('p', { class: 'success', id: 'pos-offer-added', text: t('posOfferAdded') }));
    else button.disabled = false;
  });
  show(view);
  return true;
}
