import { test } from 'node:test';
import * as scenario from './lib/scenarios.mjs';
const KIND = process.env.KIND ?? 'chrome';
test('pos fetch', () => scenario.posPrint(KIND, 'fetch'));
test('pos xhr', () => scenario.posPrint(KIND, 'xhr'));
test('pos reactive', () => scenario.posReactive(KIND));
