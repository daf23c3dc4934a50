// The ePOS printer emulator (tests/emulator) as a test printer on a 127.x address, started by the
// one launcher of tests/lib/emulator.mjs.
import https from 'node:https';
import { startEmulator } from '../../lib/emulator.mjs';
import { paths } from './paths.mjs';

export async function startPrinter({ address = '127.0.0.25', shape = 'good', extra = [] } = {}) {
  const info = await startEmulator({ address, shape, extra, binary: paths.emulator });
  const url = info.url.replace(/\/$/, '');
  return {
    ...info,
    url,
    // What the printer received (GET /emulator/prints), read without trusting its certificate:
    // the test is the one party here that knows this is the emulator it started.
    prints: () =>
      new Promise((resolve, reject) => {
        https
          .get(`${url}/emulator/prints`, { rejectUnauthorized: false }, (res) => {
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
