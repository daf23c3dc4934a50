import { test } from 'node:test';
import * as scenario from './lib/scenarios.mjs';
test('pos fetch', () => scenario.posPrint('firefox', 'fetch'));
