// Fills every element carrying data-i18n (text) or data-i18n-title (tooltip) with its message, and
// sets the document language and direction from the browser's UI locale.
import { api, t } from '../lib/browser.js';

export function localizeDocument(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  document.documentElement.lang = api.i18n.getUILanguage();
}
