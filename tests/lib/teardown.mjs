// What a test file starts (emulated printers, scratch HOMEs, browsers) is undone after the whole
// file, last first, even when a test failed: a stray emulator would keep its 127.0.0.x address
// busy for the next case, and a scratch HOME would pile up in /tmp.
import { after } from 'node:test';
import { startEmulator } from './emulator.mjs';

export function teardownAfterFile() {
  const steps = [];
  after(async () => {
    for (const step of steps.reverse()) await step();
  });
  const defer = (step) => {
    steps.push(step);
  };
  return {
    defer,
    // An emulated printer, stopped at the end; `options` as startEmulator's, or an address.
    async emulator(options) {
      const printer = await startEmulator(typeof options === 'string' ? { address: options } : options);
      defer(() => printer.stop());
      return printer;
    },
  };
}
