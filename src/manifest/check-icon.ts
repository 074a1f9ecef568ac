import { PNG } from 'pngjs';

// Teams wants a 192x192 colour icon and a 32x32 outline icon that is white
// on a transparent background. This checks a PNG against those rules.

/** Lower bound for a channel to count as white (allows antialiasing rounding). */
const WHITE_MIN = 250;

/**
 * Returns the problems found in one icon; empty when it is fine.
 * requireTransparent: the outline rule (transparent background, white glyph).
 */
export function checkIcon(pngBuffer: Buffer, expectedSize: number, requireTransparent: boolean, label = 'icon'): string[] {
  let png: PNG;
  try {
    png = PNG.sync.read(pngBuffer);
  } catch {
    return [`${label}: not a readable PNG file`];
  }
  const problems: string[] = [];
  if (png.width !== expectedSize || png.height !== expectedSize) {
    problems.push(`${label}: must be ${expectedSize}x${expectedSize} pixels, is ${png.width}x${png.height}`);
  }
  if (!requireTransparent) return problems;

  const alphaAt = (x: number, y: number): number => png.data[(y * png.width + x) * 4 + 3]!;
  const corners: Array<[number, number]> = [
    [0, 0],
    [png.width - 1, 0],
    [0, png.height - 1],
    [png.width - 1, png.height - 1],
  ];
  if (corners.some(([x, y]) => alphaAt(x, y) !== 0)) {
    problems.push(`${label}: background must be transparent (a corner pixel is not)`);
  }
  let visible = 0;
  let coloured = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (png.data[i + 3] === 0) continue;
    visible += 1;
    if (png.data[i]! < WHITE_MIN || png.data[i + 1]! < WHITE_MIN || png.data[i + 2]! < WHITE_MIN) coloured += 1;
  }
  if (visible === 0) problems.push(`${label}: has no visible pixels`);
  if (coloured > 0) problems.push(`${label}: the glyph must be white; ${coloured} visible pixels are not`);
  return problems;
}
