// The Odoo POS content scripts (pos/page_hook.js in the page's MAIN world, pos/bridge.js in the
// isolated world), registered for exactly the POS origins of the settings and for no other page.

import { allOdooOrigins, posMatchPatterns } from './settings.js';

export const POS_SCRIPT_IDS = ['pos-hook', 'pos-bridge'];

// scripting: the browser's `scripting` API; settings: the effective settings.
export async function syncPosScripts(scripting, settings) {
  const origins = allOdooOrigins(settings);
  const registered = await scripting.getRegisteredContentScripts({ ids: POS_SCRIPT_IDS });
  if (registered.length > 0) {
    await scripting.unregisterContentScripts({ ids: registered.map((s) => s.id) });
  }
  if (origins.length === 0) return;
  const matches = posMatchPatterns(origins);
  await scripting.registerContentScripts([
    { id: 'pos-hook', matches, js: ['pos/page_hook.js'], runAt: 'document_start', world: 'MAIN', allFrames: false },
    { id: 'pos-bridge', matches, js: ['pos/bridge.js'], runAt: 'document_start', allFrames: false },
  ]);
}
