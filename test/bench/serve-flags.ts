import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');

/** The compiled entry point that npm run serve and the container start. */
export const COMPILED_ENTRY = join(REPO_ROOT, 'dist', 'main.js');

/** The node flags of npm run serve (the heap limits the container sets in NODE_OPTIONS too). */
export function serveFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return pkg.scripts.serve.split(/\s+/).filter((word) => word.startsWith('--'));
}

/** The compiled bot with npm run serve's flags when it has been built, else undefined (src/main.ts through tsx). */
export function compiledBot(): { flags: string[] } | undefined {
  return existsSync(COMPILED_ENTRY) ? { flags: serveFlags() } : undefined;
}
