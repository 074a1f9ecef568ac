import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

// Draws the app's two icons (a shield with a keyhole) so they can be
// regenerated instead of edited by hand:  npx tsx src/manifest/draw-icons.ts
// Shapes are defined in unit coordinates (0..1) and rendered with
// supersampling so the edges are smooth at both 192 and 32 pixels.

type Rgb = readonly [number, number, number];

export const ACCENT: Rgb = [0x1f, 0x4e, 0x79];
const WHITE: Rgb = [255, 255, 255];
const SAMPLES = 4;

/** Inside the shield: flat top, straight sides, curving to a point at the bottom. */
function inShield(x: number, y: number): boolean {
  const top = 0.14;
  const shoulder = 0.5;
  const bottom = 0.9;
  if (y < top || y > bottom) return false;
  // A slight dip in the middle of the top edge gives the shield its crest.
  const crest = 0.03 * Math.cos(((x - 0.5) / 0.32) * (Math.PI / 2));
  if (y < top + Math.max(0, crest)) return false;
  const halfWidth = y <= shoulder ? 0.32 : 0.32 * Math.cos(((y - shoulder) / (bottom - shoulder)) * (Math.PI / 2));
  return Math.abs(x - 0.5) <= halfWidth;
}

/** Inside the keyhole: a round head above a tapering slot. */
function inKeyhole(x: number, y: number): boolean {
  const cx = 0.5;
  const cy = 0.43;
  const radius = 0.085;
  if ((x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2) return true;
  if (y < cy || y > 0.68) return false;
  const t = (y - cy) / (0.68 - cy);
  const halfWidth = 0.035 + t * 0.03;
  return Math.abs(x - cx) <= halfWidth;
}

/** Fraction of a pixel's area for which `inside` holds. */
function coverage(px: number, py: number, size: number, inside: (x: number, y: number) => boolean): number {
  let hits = 0;
  for (let sy = 0; sy < SAMPLES; sy += 1) {
    for (let sx = 0; sx < SAMPLES; sx += 1) {
      const x = (px + (sx + 0.5) / SAMPLES) / size;
      const y = (py + (sy + 0.5) / SAMPLES) / size;
      if (inside(x, y)) hits += 1;
    }
  }
  return hits / (SAMPLES * SAMPLES);
}

function blend(a: Rgb, b: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i]! * (1 - t) + b[i]! * t)) as unknown as Rgb;
}

/** 192x192 full-colour icon: white shield on the accent colour, keyhole in accent. */
export function drawColorIcon(size = 192): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const glyph = coverage(px, py, size, (x, y) => inShield(x, y) && !inKeyhole(x, y));
      const [r, g, b] = blend(ACCENT, WHITE, glyph);
      const i = (py * size + px) * 4;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** 32x32 outline icon: white shield with the keyhole cut out, transparent elsewhere. */
export function drawOutlineIcon(size = 32): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const glyph = coverage(px, py, size, (x, y) => inShield(x, y) && !inKeyhole(x, y));
      const i = (py * size + px) * 4;
      png.data[i] = 255;
      png.data[i + 1] = 255;
      png.data[i + 2] = 255;
      png.data[i + 3] = Math.round(glyph * 255);
    }
  }
  return PNG.sync.write(png);
}

/** Writes color.png and outline.png into the given folder (default: manifest/). */
export function writeIcons(folder: string): void {
  writeFileSync(path.join(folder, 'color.png'), drawColorIcon());
  writeFileSync(path.join(folder, 'outline.png'), drawOutlineIcon());
}

if (require.main === module) {
  const folder = path.resolve(__dirname, '..', '..', 'manifest');
  writeIcons(folder);
  process.stdout.write(`Wrote ${path.join(folder, 'color.png')} and outline.png\n`);
}
