#!/usr/bin/env node
// Draws the toolbar icon (a receipt printer with a check mark, in Odoo purple) at every size the
// manifests name, as PNG, with no image tool: node extension/tools/make_icons.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { crc32 } from './zip.mjs';

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const nearSegment = (x, y, ax, ay, bx, by, w) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= w * w;
};

// The colour at (x, y) in a 0..1 square, or null for transparent.
function shade(x, y) {
  if ((x - 0.74) ** 2 + (y - 0.74) ** 2 <= 0.24 ** 2) {
    if (nearSegment(x, y, 0.62, 0.75, 0.71, 0.84, 0.035) || nearSegment(x, y, 0.71, 0.84, 0.87, 0.64, 0.035)) {
      return [255, 255, 255];
    }
    return (x - 0.74) ** 2 + (y - 0.74) ** 2 <= 0.2 ** 2 ? [30, 125, 60] : [255, 255, 255];
  }
  if (inRoundRect(x, y, 0.26, 0.04, 0.62, 0.4, 0.02)) {
    const line = [0.14, 0.22, 0.3].some((ly) => Math.abs(y - ly) < 0.022 && x > 0.32 && x < 0.56);
    return line ? [113, 75, 103] : [255, 255, 255];
  }
  if (inRoundRect(x, y, 0.06, 0.3, 0.82, 0.78, 0.1)) {
    if (inRoundRect(x, y, 0.2, 0.36, 0.68, 0.42, 0.02)) return [40, 28, 38];
    return [113, 75, 103];
  }
  return null;
}

function render(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const n = 4; // 4x4 supersampling
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy += 1) {
        for (let sx = 0; sx < n; sx += 1) {
          const c = shade((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (c) {
            acc[0] += c[0];
            acc[1] += c[1];
            acc[2] += c[2];
            acc[3] += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      if (acc[3] > 0) {
        rgba[i] = Math.round(acc[0] / acc[3]);
        rgba[i + 1] = Math.round(acc[1] / acc[3]);
        rgba[i + 2] = Math.round(acc[2] / acc[3]);
      }
      rgba[i + 3] = Math.round((255 * acc[3]) / (n * n));
    }
  }
  return png(size, rgba);
}

const icons = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'icons');
for (const size of [16, 32, 48, 128]) writeFileSync(join(icons, `icon-${size}.png`), render(size));
console.log(`icons written to ${icons}`);
