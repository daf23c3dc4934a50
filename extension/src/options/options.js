// The settings page: trusted printers (host list/untrust), the pre-connection check, the networks
// that count as printers, and self-hosted Odoo origins. What managed policy sets is shown locked.
import { ADDRESS_CLASSES } from '../lib/address.js';
import { ask } from '../lib/background_client.js';
import { t } from '../lib/browser.js';
import { groupFingerprint } from '../lib/fingerprint.js';
import { normalizeOrigin } from '../lib/settings.js';
import { readLocal, saveLocal } from '../lib/settings_store.js';
import { el, renderError } from '../ui/cert_view.js';
import { localizeDocument } from '../ui/i18n_dom.js';
import { errorText } from '../ui/messages.js';

const NETWORK_LABELS = {
  loopback: 'networkLoopback',
  private: 'networkPrivate',
  link_local: 'networkLinkLocal',
  ula: 'networkUla',
  cgnat: 'networkCgnat',
};

function lockedMark(settings, key) {
  return settings.locked.includes(key) ? el('span', { class: 'locked', text: t('lockedByPolicy') }) : null;
}

// One row per trusted certificate (the journal may list it once per store).
function groupEntries(entries) {
  const bySha = new Map();
  for (const entry of entries) {
    const row = bySha.get(entry.sha256) ?? { ...entry, stores: [] };
    row.stores.push(entry);
    bySha.set(entry.sha256, row);
  }
  return [...bySha.values()];
}

async function renderPrinters() {
  const box = document.getElementById('printers');
  let list;
  try {
    list = await ask('list');
  } catch (e) {
    box.replaceChildren(renderError(e, errorText));
    return;
  }
  const rows = groupEntries(list.entries ?? []);
  if (rows.length === 0) {
    box.replaceChildren(el('p', { id: 'no-printers', text: t('optionsNoPrinters') }));
    return;
  }
  const table = el(
    'table',
    { id: 'printer-table' },
    el(
      'tr',
      {},
      el('th', { text: t('labelAddress') }),
      el('th', { text: t('labelFingerprint') }),
      el('th', {}),
    ),
  );
  for (const row of rows) {
    const button = el('button', { class: 'untrust', 'data-sha256': row.sha256, text: t('buttonUntrust') });
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const origins = row.stores.map((s) => s.url && new URL(s.url).origin).filter(Boolean);
        await ask('untrust', { sha256: row.sha256, origins });
        await renderPrinters();
      } catch (e) {
        button.replaceWith(renderError(e, errorText));
      }
    });
    // Where it is installed: the trust store (an NSS database, a Windows store …) by its location.
    const where = [...new Set(row.stores.map((s) => s.label || s.location || s.store))].join(', ');
    table.append(
      el(
        'tr',
        { class: 'printer', 'data-sha256': row.sha256 },
        el('td', {}, row.address ?? row.url ?? '', el('div', { class: 'hint', text: where })),
        el('td', {}, el('code', { class: 'fingerprint', text: groupFingerprint(row.sha256, { lines: 4 }) })),
        el('td', {}, button),
      ),
    );
  }
  box.replaceChildren(table);
}

function renderPrecheck(settings) {
  const box = document.getElementById('precheck');
  box.checked = settings.precheck;
  box.disabled = settings.locked.includes('precheck');
  box.parentElement.append(lockedMark(settings, 'precheck') ?? '');
  box.addEventListener('change', () => void saveLocal({ precheck: box.checked }));
}

function renderNetworks(settings) {
  const box = document.getElementById('networks');
  const locked = settings.locked.includes('networks');
  for (const network of ADDRESS_CLASSES) {
    const input = el('input', { type: 'checkbox', value: network, id: `net-${network}` });
    input.checked = settings.networks.includes(network);
    input.disabled = locked;
    input.addEventListener('change', () => {
      const chosen = [...box.querySelectorAll('input:checked')].map((i) => i.value);
      void saveLocal({ networks: chosen });
    });
    box.append(el('label', {}, input, ` ${t(NETWORK_LABELS[network])}`));
  }
  if (locked) box.append(lockedMark(settings, 'networks'));
}

async function renderOrigins(settings) {
  const list = document.getElementById('origins');
  const local = (await readLocal()).odooOrigins ?? [];
  list.replaceChildren();
  for (const origin of settings.managedOdooOrigins) {
    list.append(el('li', {}, origin, el('span', { class: 'locked', text: t('lockedByPolicy') })));
  }
  for (const origin of local) {
    const remove = el('button', { text: t('buttonRemove') });
    remove.addEventListener('click', async () => {
      await saveLocal({ odooOrigins: local.filter((o) => o !== origin) });
      await renderOrigins(settings);
    });
    list.append(el('li', {}, `${origin} `, remove));
  }
}

function setupAddOrigin(settings) {
  const form = document.getElementById('add-origin');
  const input = document.getElementById('origin');
  const error = document.getElementById('origin-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // A pasted POS address (https://shop.example.com/pos/ui?config_id=1) stands for its origin;
    // what is saved is always the exact origin, shown in the list.
    let origin = normalizeOrigin(input.value);
    try {
      if (!origin && !input.value.includes('*')) origin = normalizeOrigin(new URL(input.value.trim()).origin);
    } catch {
      origin = null;
    }
    // Only https POS pages can hit a certificate problem: Odoo talks to the printer with the
    // page's own scheme (docs/browser-behaviour.md §8).
    if (!origin || !origin.startsWith('https://')) {
      error.textContent = t('optionsOriginInvalid');
      error.hidden = false;
      return;
    }
    error.hidden = true;
    const local = (await readLocal()).odooOrigins ?? [];
    await saveLocal({ odooOrigins: [...new Set([...local, origin])] });
    input.value = '';
    await renderOrigins(settings);
  });
}

async function main() {
  localizeDocument();
  const settings = await ask('settings');
  document.getElementById('managed-note').hidden =
    settings.locked.length === 0 && settings.managedOdooOrigins.length === 0 && settings.pinned.length === 0;
  renderPrecheck(settings);
  renderNetworks(settings);
  await renderOrigins(settings);
  setupAddOrigin(settings);
  await renderPrinters();
}

main().catch((e) => document.querySelector('main').append(renderError(e, errorText)));
