// Run by background.test.mjs in a process of its own (one per browser): loads the real
// extension/src/background.js against a recording fake of the WebExtension API and prints, as
// JSON, which listeners it registered and whether each was registered before any API call had
// answered (the first turn), then what a few of them do.
//
// The fake: every namespace is a Proxy; `onXxx` properties are events; calling anything records
// the call and answers after a timer (a real browser answers in a later task too).

const kind = process.argv[2];
const registered = [];
const calls = [];
let firstTurn = true; // until the first API call has answered

const EXTENSION_URL = kind === 'firefox' ? 'moz-extension://uuid/' : 'chrome-extension://extid/';
const SYNC = {
  'runtime.getURL': (p) => `${EXTENSION_URL}${String(p).replace(/^\//, '')}`,
  'i18n.getMessage': (key) => `«${key}»`,
};
const VALUES = { 'runtime.id': 'extid' };
const ANSWERS = {
  'storage.local.get': {},
  'storage.managed.get': {},
  'storage.session.get': {},
  'declarativeNetRequest.getSessionRules': [],
  'scripting.getRegisteredContentScripts': [],
};

function event(path) {
  return {
    addListener: (fn, ...options) => registered.push({ path, fn, options, firstTurn }),
    removeListener: () => {},
    hasListener: () => false,
  };
}

function node(path) {
  return new Proxy(function fake() {}, {
    get(_target, key) {
      if (typeof key !== 'string' || key === 'then') return undefined;
      const child = path ? `${path}.${key}` : key;
      if (child in SYNC) return SYNC[child];
      if (child in VALUES) return VALUES[child];
      if (/^on[A-Z]/.test(key)) return event(child);
      return node(child);
    },
    apply(_target, _this, args) {
      calls.push([path, args]);
      return new Promise((resolve) =>
        setTimeout(() => {
          firstTurn = false;
          resolve(ANSWERS[path]);
        }, 1),
      );
    },
  });
}

const api = node('');
globalThis.chrome = api;
if (kind === 'firefox') globalThis.browser = api;

await import('../../extension/src/background.js');
await new Promise((resolve) => setTimeout(resolve, 400)); // the settings applied (the managed wait is 200 ms)

const listener = (path) => registered.find((r) => r.path === path)?.fn;
const reply = (message, sender) =>
  new Promise((resolve) => {
    const kept = listener('runtime.onMessage')(message, sender, resolve);
    if (!kept) resolve('no answer');
  });
const page = { id: 'extid', url: `${EXTENSION_URL}popup/popup.html` };
const report = {
  registered: registered.map(({ path, options, firstTurn: early }) => ({ path, options, firstTurn: early })),
  applied: calls.map(([path]) => path).filter((p) => !p.startsWith('storage.')),
  settings: await reply({ type: 'settings' }, page),
  fromContentScript: await reply({ type: 'settings' }, { id: 'extid', url: 'https://pos.example.com/' }),
  unknownType: await reply({ type: 'nope' }, page),
};
if (kind === 'firefox') {
  report.beforeRequest = await listener('webRequest.onBeforeRequest')({ url: 'https://printer.example/', tabId: 3 });
}
process.stdout.write(JSON.stringify(report));
