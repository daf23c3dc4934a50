// Reads and writes the settings layers of settings.js from extension storage.

import { api } from './browser.js';
import { mergeSettings } from './settings.js';

const LOCAL_KEYS = ['networks', 'odooOrigins', 'precheck'];

export async function readManaged() {
  try {
    // Firefox rejects when no policy names this extension; Chromium resolves {}.
    return (await api.storage.managed.get()) ?? {};
  } catch {
    return {};
  }
}

export async function readLocal() {
  return api.storage.local.get(LOCAL_KEYS);
}

export async function loadSettings() {
  const [local, managed] = await Promise.all([readLocal(), readManaged()]);
  return mergeSettings(local, managed);
}

export async function saveLocal(values) {
  const picked = Object.fromEntries(Object.entries(values).filter(([k]) => LOCAL_KEYS.includes(k)));
  await api.storage.local.set(picked);
}
