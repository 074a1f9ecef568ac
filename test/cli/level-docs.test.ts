import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEVEL_DOC_FILES, updatedLevelDocs, withLevelList } from '../../src/cli/level-docs';
import { ACCESS_LEVELS, accessLevelSpec } from '../../src/domain/access-level';

const ROOT = join(__dirname, '..', '..');

describe('the generated access-level lists (npm run docs:levels)', () => {
  it('README.md and the policy file are up to date with the level table', () => {
    for (const file of updatedLevelDocs((path) => readFileSync(join(ROOT, path), 'utf8'))) {
      assert.equal(file.current, file.wanted, `${file.path} is out of date: run npm run docs:levels`);
    }
  });

  it('`npm run docs:levels -- --check` passes on the repository', function () {
    this.timeout(60_000);
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/cli/docs-levels.ts', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
  });

  it('lists every level with its summary in each file', () => {
    for (const { path, render } of LEVEL_DOC_FILES) {
      const text = render().join('\n');
      for (const level of ACCESS_LEVELS) {
        assert.ok(text.includes(level), `${path} lacks ${level}`);
        assert.ok(text.includes(accessLevelSpec(level).summary), `${path} lacks the summary of ${level}`);
      }
    }
  });

  it('replaces only what is between the markers, keeping the comment prefix, and is stable', () => {
    const yaml = ['# before', '#    [access-levels:begin]', '#    Stale  old text', '#    [access-levels:end]', 'after: 1'].join('\n');
    const once = withLevelList(yaml, ['A  one', 'B  two'], 'x.yaml');
    assert.equal(
      once,
      ['# before', '#    [access-levels:begin]', '#    A  one', '#    B  two', '#    [access-levels:end]', 'after: 1'].join('\n'),
    );
    assert.equal(withLevelList(once, ['A  one', 'B  two'], 'x.yaml'), once);
    const md = withLevelList('x\n<!-- access-levels:begin -->\nold\n<!-- access-levels:end -->\ny', ['| a |'], 'x.md');
    assert.equal(md, 'x\n<!-- access-levels:begin -->\n| a |\n<!-- access-levels:end -->\ny');
  });

  it('reports a stale list as different, and a file without markers by name', () => {
    const stale = updatedLevelDocs((path) =>
      path === 'README.md'
        ? '<!-- access-levels:begin -->\nold\n<!-- access-levels:end -->'
        : '# [access-levels:begin]\n# [access-levels:end]',
    );
    assert.ok(stale.every((file) => file.current !== file.wanted));
    assert.throws(() => withLevelList('no markers here', ['x'], 'README.md'), /README\.md has no "access-levels:begin"/);
  });
});
