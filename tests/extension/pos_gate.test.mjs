// lib/pos_gate.js: who may ask (exact configured origins, top frame only) and one printer per
// spelling of its URL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { posOriginOf, printerOf } from '../../extension/src/lib/pos_gate.js';

const CONFIGURED = ['https://pos.example.com', 'https://127.0.0.1:8443'];
const tab = { id: 4, windowId: 1, index: 0 };

test('the top frame of an exactly configured origin may ask', () => {
  assert.equal(posOriginOf({ frameId: 0, tab, origin: 'https://pos.example.com', url: 'https://pos.example.com/pos/ui' }, CONFIGURED), 'https://pos.example.com');
  // Firefox gives no sender.origin: the URL's origin decides.
  assert.equal(posOriginOf({ frameId: 0, tab, url: 'https://127.0.0.1:8443/pos/ui?config_id=1' }, CONFIGURED), 'https://127.0.0.1:8443');
});

test('frames, other ports, other tenants, no tab: nobody asks', () => {
  const cases = [
    { frameId: 3, tab, url: 'https://pos.example.com/pos/ui' },
    { frameId: 0, tab, url: 'https://127.0.0.1:9443/pos/ui' },
    { frameId: 0, tab, url: 'https://evil.odoo.com/pos/ui' },
    { frameId: 0, tab, url: 'https://pos.example.com.evil.test/pos/ui' },
    { frameId: 0, tab, url: 'http://pos.example.com/pos/ui' },
    { frameId: 0, url: 'https://pos.example.com/pos/ui' },
    { frameId: 0, tab, origin: 'https://evil.test', url: 'https://pos.example.com/pos/ui' },
    { frameId: 0, tab, url: 'not a url' },
    null,
  ];
  for (const sender of cases) assert.equal(posOriginOf(sender, CONFIGURED), null, JSON.stringify(sender));
});

test('every spelling of one printer URL is the origin the host parses', () => {
  const same = [
    'https://192.168.1.25/cgi-bin/epos/service.cgi?devid=local_printer',
    'https://192.168.1.25:443/cgi-bin/epos/service.cgi',
    'HTTPS://192.168.1.25/cgi-bin/epos/service.cgi',
    'http://192.168.1.25/cgi-bin/epos/service.cgi',
  ];
  for (const url of same) assert.equal(printerOf(url).origin, 'https://192.168.1.25', url);
  assert.equal(printerOf('http://192.168.1.25:8008/cgi-bin/epos/service.cgi').origin, 'https://192.168.1.25:8008');
  assert.equal(printerOf('https://[FD00::5]:8443/x').origin, 'https://[fd00::5]:8443');
  const p = printerOf('http://192.168.1.25/cgi-bin/epos/service.cgi?devid=local_printer&timeout=10000');
  assert.deepEqual(p, { origin: 'https://192.168.1.25', protocol: 'http:', path: '/cgi-bin/epos/service.cgi', query: 'devid=local_printer&timeout=10000' });
  assert.equal(printerOf('ftp://192.168.1.25/'), null);
  assert.equal(printerOf('https://u:p@192.168.1.25/'), null);
  assert.equal(printerOf('::'), null);
});
