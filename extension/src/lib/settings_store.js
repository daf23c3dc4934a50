// Reads and writes the settings layers of settings.js from extension storage.

import { api as browserApi } from './browser.js';
import { mergeSettings } from './settings.js';

const LOCAL_KEYS = ['networks', 'odooOrigins', 'precheck'];

// api: {storage.local, storage.managed}.
export function settingsStore(api) {
  async function readManaged() {
    try {
      // Firefox rejects when no policy names this extension; Chromium resolves {}.
      return (await api.storage.managed.get()) ?? {};
    } catch {
      return {};
    }
  }
  async function readLocal() {
    return api.storage.local.get(LOCAL_KEYS);
  }
  return {
    readManaged,
    readLocal,
    async loadSettings() {
      const [local, managed] = await Promise.all([readLocal(), readManaged()]);
      return mergeSettings(local, managed);
    },
    // Only the person's own keys are written: nothing else lands in storage.local from here.
    async saveLocal(values) {
      const picked = Object.fromEntries(Object.entries(values).filter(([k]) => LOCAL_KEYS.includes(k)));
      await api.storage.local.set(picked);
    },
  };
}

// The extension's own, on the real API (undefined outside a browser: unit tests build their own).
const real = browserApi ? settingsStore(browserApi) : null;
export const readManaged = (...a) => real.readManaged(...a);
export const readLocal = (...a) => real.readLocal(...a);
export const loadSettings = (...a) => real.loadSettings(...a);
export const saveLocal = (...a) => real.saveLocal(...a);
