// How every suite starts a real browser (docs/browser-behaviour.md §1 and §2): nothing may leave the machine on the
// browser's own initiative (updates, telemetry, safe browsing, captive-portal and connectivity
// probes, prefetching, DNS over HTTPS), and Chromium runs as root inside the test namespaces.
// One list for the integration, fault, end-to-end and benchmark suites.
import { scratchEnv } from './scratch_home.mjs';

export const CHROMIUM_TEST_FLAGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

// Firefox test profile prefs; `extra` adds a suite's own (e.g. the extension's fixed UUID).
export function firefoxTestPrefs(extra = {}) {
  return {
    'toolkit.telemetry.enabled': false,
    'toolkit.telemetry.unified': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    // Remote settings (blocklists, intermediates): pointed at a closed loopback port.
    'services.settings.server': 'http://127.0.0.1:9/',
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'app.normandy.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'browser.safebrowsing.blockedURIs.enabled': false,
    'app.update.enabled': false,
    'app.update.auto': false,
    'extensions.update.enabled': false,
    'network.prefetch-next': false,
    'network.predictor.enabled': false,
    'network.dns.disablePrefetch': true,
    'network.http.speculative-parallel-limit': 0,
    'network.trr.mode': 5, // no DNS over HTTPS
    ...extra,
  };
}

// A browser's environment for a person whose HOME is `home`: the XDG variables of the machine
// running the tests must not point the browser (or the host it spawns) at the real databases or
// the real journal (tests/lib/scratch_home.mjs).
export function browserEnv(home, extra = {}) {
  return scratchEnv(home, { base: process.env, extra });
}
