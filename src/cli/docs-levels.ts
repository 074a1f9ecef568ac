// `npm run docs:levels` writes the access-level list from the level table into
// README.md and the policy file's comment; `npm run docs:levels -- --check`
// changes nothing and exits 1 when either is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { updatedLevelDocs } from './level-docs';

const root = join(__dirname, '..', '..');
const check = process.argv.slice(2).includes('--check');
const stale = updatedLevelDocs((path) => readFileSync(join(root, path), 'utf8')).filter((file) => file.current !== file.wanted);
if (check) {
  for (const file of stale) process.stderr.write(`${file.path}: the access-level list is out of date; run npm run docs:levels\n`);
  process.exitCode = stale.length > 0 ? 1 : 0;
} else {
  for (const file of stale) {
    writeFileSync(join(root, file.path), file.wanted);
    process.stdout.write(`${file.path}: access-level list written\n`);
  }
}
