// Hostile catalogue, part 2: printer URLs a hostile page could make the extension pass on.
// Every case is refused before anything is sent anywhere (no case here resolves a name: names
// are in names.test.mjs, inside a private network and hosts file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, assertError } from './lib/hostile.mjs';

const inspect = (url) => request({ id: 'u', cmd: 'inspect', url });

// [case, url, code, message pattern]
const CASES = [
  ['user-info with a password', 'https://user:secret@127.0.0.25', 'bad_url', /user/],
  ['user-info that spoofs the host', 'https://192.168.1.25@8.8.8.8', 'bad_url', /user/],
  ['empty user-info', 'https://@127.0.0.25', 'bad_url', /user/],
  ['http instead of https', 'http://127.0.0.25', 'bad_url', /https/],
  ['no scheme', '127.0.0.25', 'bad_url', /https/],
  ['javascript: URL', 'javascript:alert(1)', 'bad_url', /https/],
  ['file: URL', 'file:///etc/passwd', 'bad_url', /https/],
  ['port 0', 'https://127.0.0.25:0', 'bad_url', /port/],
  ['port 65536', 'https://127.0.0.25:65536', 'bad_url', /port/],
  ['a negative port', 'https://127.0.0.25:-443', 'bad_url', /port/],
  ['a port with a sign', 'https://127.0.0.25:+443', 'bad_url', /port/],
  ['a port that is not a number', 'https://127.0.0.25:https', 'bad_url', /port/],
  ['an empty port', 'https://127.0.0.25:', 'bad_url', /port/],
  ['a 30-digit port (overflow)', `https://127.0.0.25:${'9'.repeat(30)}`, 'bad_url', /port/],
  ['a backslash in the path', 'https://127.0.0.25/..\\..\\x', 'bad_url', /backslash/],
  ['spaces', 'https://127.0.0.25 /', 'bad_url', /spaces|characters/],
  ['an IDN in Unicode (browsers send punycode)', 'https://bücher.example', 'bad_url', /characters/],
  ['a decimal IPv4 spelling (3232235777)', 'https://3232235777', 'bad_url', /dotted/],
  ['a hexadecimal IPv4 spelling (0x7f000001)', 'https://0x7f000001', 'bad_url', /dotted/],
  ['a short IPv4 spelling (127.1)', 'https://127.1', 'bad_url', /dotted/],
  ['an octal-looking IPv4 (0177.0.0.1)', 'https://0177.0.0.1', 'bad_url', /dotted/],
  ['an IPv6 address without brackets', 'https://fd00::25', 'bad_url', /brackets/],
  ['an IPv6 address without its closing bracket', 'https://[fd00::25', 'bad_url', /\]/],
  ['text after the IPv6 bracket', 'https://[fd00::25]x', 'bad_url', /IPv6/],
  ['an IPv6 zone identifier', 'https://[fe80::1%25eth0]', 'bad_url', /zone/],
  ['brackets around something that is not IPv6', 'https://[printer.lan]', 'bad_url', /IPv6/],
  ['an empty host', 'https://:443', 'bad_url', /host/],
  ['a host label of 64 characters', `https://${'a'.repeat(64)}.lan`, 'bad_url', /host name/],
  ['a host name of 300 characters', `https://${'abcdefghi.'.repeat(30)}lan`, 'bad_url', /host name/],
  ['a host name with an underscore', 'https://my_printer.lan', 'bad_url', /host name/],
  ['a label starting with a hyphen', 'https://-printer.lan', 'bad_url', /host name/],
  ['a URL over 2 KiB', `https://127.0.0.25/${'p'.repeat(3000)}`, 'bad_url', /too long/],
  ['a public IPv4 address', 'https://8.8.8.8', 'address_not_local', /public/],
  ['a public IPv4 address with the printer path', 'https://1.1.1.1/cgi-bin/epos/service.cgi', 'address_not_local', /public/],
  ['a public IPv6 address', 'https://[2001:4860:4860::8888]', 'address_not_local', /public/],
  ['a public IPv4 hidden in an IPv4-mapped IPv6 address', 'https://[::ffff:8.8.8.8]', 'address_not_local', /public/],
  ['a public IPv4 in IPv4-mapped hex form', 'https://[::ffff:808:808]', 'address_not_local', /public/],
  ['the unspecified address 0.0.0.0', 'https://0.0.0.0', 'address_not_local', /unspecified/],
  ['the unspecified IPv6 address ::', 'https://[::]', 'address_not_local', /unspecified/],
  ['a multicast address', 'https://224.0.0.251', 'address_not_local', /unspecified/],
  ['the broadcast address', 'https://255.255.255.255', 'address_not_local', /unspecified/],
  ['an IPv6 multicast address', 'https://[ff02::1]', 'address_not_local', /unspecified/],
  ['a carrier-grade NAT address (not allowed by default)', 'https://100.64.0.1', 'address_not_local', /cgnat/],
];

for (const [name, url, code, message] of CASES) {
  test(`url: ${name}: ${code}`, async () => {
    const reply = await inspect(url);
    assertError(reply, code, { id: 'u' });
    assert.match(reply.error.message, message);
  });
}

test('url: the same refusals hold for trust: a public address is refused before any install', async () => {
  const reply = await request({ id: 't', cmd: 'trust', url: 'https://8.8.8.8', sha256: 'a'.repeat(64) });
  assertError(reply, 'address_not_local', { id: 't' });
});
