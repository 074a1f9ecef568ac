import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { checkIcon } from '../../src/manifest/check-icon';
import { drawColorIcon, drawOutlineIcon } from '../../src/manifest/draw-icons';
import { MANIFEST_DIR } from './fixtures';

function solidPng(size: number, rgba: [number, number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < png.data.length; i += 4) png.data.set(rgba, i);
  return PNG.sync.write(png);
}

describe('checkIcon', () => {
  describe('the committed icons', () => {
    const color = readFileSync(path.join(MANIFEST_DIR, 'color.png'));
    const outline = readFileSync(path.join(MANIFEST_DIR, 'outline.png'));

    it('color.png is 192x192', () => {
      assert.deepEqual(checkIcon(color, 192, false, 'color.png'), []);
    });

    it('outline.png is 32x32, white on a transparent background', () => {
      assert.deepEqual(checkIcon(outline, 32, true, 'outline.png'), []);
    });

    it('are what the drawing script produces today', () => {
      // A changed script without regenerated files (or a hand edit) shows up here.
      assert.ok(drawColorIcon().equals(color), 'manifest/color.png differs from drawColorIcon()');
      assert.ok(drawOutlineIcon().equals(outline), 'manifest/outline.png differs from drawOutlineIcon()');
    });

    it('the colour icon fails the outline rules (it has an opaque background)', () => {
      const problems = checkIcon(color, 192, true, 'color.png');
      assert.ok(
        problems.some((p) => /background must be transparent/.test(p)),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => /must be white/.test(p)),
        problems.join('\n'),
      );
    });
  });

  it('names a wrong size', () => {
    assert.deepEqual(checkIcon(drawOutlineIcon(30), 32, true, 'outline.png'), ['outline.png: must be 32x32 pixels, is 30x30']);
  });

  it('rejects an empty transparent image as an outline icon', () => {
    assert.deepEqual(checkIcon(solidPng(32, [255, 255, 255, 0]), 32, true), ['icon: has no visible pixels']);
  });

  it('rejects a coloured glyph in an outline icon', () => {
    const png = PNG.sync.read(drawOutlineIcon());
    const centre = (16 * 32 + 8) * 4;
    png.data.set([200, 30, 30, 255], centre);
    const problems = checkIcon(PNG.sync.write(png), 32, true, 'outline.png');
    assert.deepEqual(problems, ['outline.png: the glyph must be white; 1 visible pixels are not']);
  });

  it('rejects bytes that are not a PNG', () => {
    assert.deepEqual(checkIcon(Buffer.from('not an image'), 32, false, 'x.png'), ['x.png: not a readable PNG file']);
  });
});
