// Applies the effective settings (the person's, under the managed policy: lib/settings.js) to the
// browser through `appliers` (lib/precheck_rules.js, lib/pos_scripts.js), at start and again on
// install, browser start and every settings change; current() is the latest application, which
// everyone who reads the settings awaits.

import { mergeSettings } from './settings.js';

export class SettingsSync {
  // readLocal, readManaged: () => Promise<layer> (lib/settings_store.js); appliers: [(settings) =>
  // Promise]; managedWaitMs: how long the managed layer may take before the person's settings
  // apply on their own; log: where a failed applier is reported.
  constructor({ readLocal, readManaged, appliers, managedWaitMs = 200, log = console }) {
    this.readLocal = readLocal;
    this.readManaged = readManaged;
    this.appliers = appliers;
    this.managedWaitMs = managedWaitMs;
    this.log = log;
    this.latest = null;
  }

  // The first application; the background calls it once, at start.
  start() {
    this.latest = this.apply();
    return this.latest;
  }

  // Resolves with the effective settings as last applied.
  current() {
    return this.latest;
  }

  // One application of the settings at a time: two overlapping ones (start, install, a change)
  // would unregister and register the same content scripts and rules against each other.
  reapply() {
    this.latest = this.latest.catch(() => undefined).then(() => this.apply());
    return this.latest;
  }

  // storage.onChanged: only the person's and the managed layers are settings.
  onStorageChanged(_changes, area) {
    if (area === 'local' || area === 'managed') void this.reapply();
  }

  // Chromium answers storage.managed only once its policy service has loaded, seconds after start
  // (measured: 1-4 s with Chromium 156). Until then the person's settings apply, so that a printer
  // opened right after start is checked too; the policy then replaces them.
  async apply() {
    const local = await this.readLocal();
    const early = Symbol('pending');
    const managedRead = this.readManaged();
    const wait = new Promise((resolve) => setTimeout(() => resolve(early), this.managedWaitMs));
    let managed = await Promise.race([managedRead, wait]);
    if (managed === early) {
      await this.applyEffective(mergeSettings(local, {}));
      managed = await managedRead;
    }
    return this.applyEffective(mergeSettings(local, managed));
  }

  async applyEffective(settings) {
    const results = await Promise.allSettled(this.appliers.map((apply) => apply(settings)));
    for (const r of results) {
      if (r.status === 'rejected') this.log.error('epos-trust: applying settings failed:', r.reason);
    }
    return settings;
  }
}
