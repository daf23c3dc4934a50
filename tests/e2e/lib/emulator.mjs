// The ePOS printer emulator (tests/emulator) as a test printer on a 127.x address.
import https from 'node:https';
import { startWithReadyLine, stop } from './processes.mjs';
import { paths } from './paths.mjs';

export async function startPrinter({ address = '127.0.0.25', shape = 'good', extra = [] } = {}) {
  const { child, info } = await startWithReadyLine(paths.emulator, [
    '--address',
    address,
    '--port',
    '0',
    '--shape',
    shape,
    ...extra,
  ]);
  return {
    ...info,
    url: info.url.replace(/\/$/, ''),
    stop: () => stop(child),
    // What the printer received (GET /emulator/prints), read without trusting its certificate:
    // the test is the one party here that knows this is the emulator it started.
    prints: () =>
      new Promise((resolve, reject) => {
        https
          .get(`${info.url.replace(/\/$/, '')}/emulator/prints`, { rejectUnauthorized: false }, (res) => {
            let body = '';
            res.on('data', (d) => {
              body += d;
            });
            res.on('end', () => resolve(JSON.parse(body)));
          })
          .on('error', reject);
      }),
  };
}
