import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ManifestObject, ManifestValues } from '../../src/manifest/build-manifest';

// Shared inputs for the manifest tests: the committed template and a set of
// values shaped like a real deployment's.

export const MANIFEST_DIR = path.resolve(__dirname, '..', '..', 'manifest');

export function loadTemplate(): ManifestObject {
  return JSON.parse(readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8')) as ManifestObject;
}

export const TEST_VALUES: ManifestValues = {
  teamsAppId: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
  botId: '0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f',
  botDomain: 'custodian-test.azurewebsites.net',
};

/** Deep copy, so a test can damage it freely. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Deletes the property at a dotted path such as "bots.0.botId". */
export function removeAt(target: unknown, dottedPath: string): void {
  const parts = dottedPath.split('.');
  const last = parts.pop()!;
  let node = target as Record<string, unknown>;
  for (const part of parts) node = node[part] as Record<string, unknown>;
  if (Array.isArray(node)) node.splice(Number(last), 1);
  else delete node[last];
}

/** Sets the property at a dotted path. */
export function setAt(target: unknown, dottedPath: string, value: unknown): void {
  const parts = dottedPath.split('.');
  const last = parts.pop()!;
  let node = target as Record<string, unknown>;
  for (const part of parts) node = node[part] as Record<string, unknown>;
  node[last] = value;
}
