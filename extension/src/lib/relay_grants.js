// Which POS origin may relay to which printer in this browser session, without asking the host
// first: written after the person's Trust (or an answered relay), dropped when the host refuses.
// The host is the boundary (it checks the journal's pos_origins or the admin's pin on every
// relay); this only spares a question already answered. `storage` is storage.session (cleared
// with the browser session), injected.

const KEY = 'posRelayGrants';
const pair = (origin, printer) => `${origin} ${printer}`;

export class RelayGrants {
  constructor(storage) {
    this.storage = storage;
    this.queue = Promise.resolve();
  }

  async all() {
    const stored = await this.storage.get(KEY);
    return Array.isArray(stored?.[KEY]) ? stored[KEY] : [];
  }

  async has(origin, printer) {
    return (await this.all()).includes(pair(origin, printer));
  }

  // Writes go one at a time: two answers together must not drop each other's entry.
  change(fn) {
    const run = this.queue.then(async () => {
      const next = fn(await this.all());
      await this.storage.set({ [KEY]: next });
    });
    this.queue = run.catch(() => {});
    return run;
  }

  add(origin, printer) {
    return this.change((list) => (list.includes(pair(origin, printer)) ? list : [...list, pair(origin, printer)]));
  }

  remove(origin, printer) {
    return this.change((list) => list.filter((p) => p !== pair(origin, printer)));
  }

  // Every grant for a printer (untrust from the settings page).
  forgetPrinter(printer) {
    return this.change((list) => list.filter((p) => !p.endsWith(` ${printer}`)));
  }
}
