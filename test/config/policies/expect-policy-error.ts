import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { PolicyFileError } from '../../../src/config/policies/policy-error';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'policies');

/** The minimal valid file as data, for tests that change one thing in it. */
export function minimalFile(): { [key: string]: any } {
  return parse(readFileSync(join(FIXTURES, 'minimal.yaml'), 'utf8'));
}

/** YAML text of the minimal file after a change. */
export function minimalWith(change: (file: { [key: string]: any }) => void): string {
  const file = minimalFile();
  change(file);
  return stringify(file);
}

/** Runs `load`, asserts it throws PolicyFileError, and returns the error. */
export function policyError(load: () => unknown): PolicyFileError {
  let thrown: unknown;
  try {
    load();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof PolicyFileError, `expected a PolicyFileError, got ${String(thrown)}`);
  return thrown;
}

/** Asserts the error lists exactly one problem and that its line holds every fragment. */
export function assertSingleProblem(error: PolicyFileError, ...fragments: string[]): void {
  assert.equal(error.problems.length, 1, `expected one problem, got:\n${error.message}`);
  const line = error.message.split('\n')[1] ?? '';
  for (const fragment of fragments) {
    assert.ok(line.includes(fragment), `expected "${fragment}" in:\n${line}`);
  }
}
