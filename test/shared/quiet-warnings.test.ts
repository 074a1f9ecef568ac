import assert from 'node:assert/strict';
import '../../src/shared/quiet-warnings';

/** The warnings Node reports (the 'warning' event) while `act` runs. */
async function warningsDuring(act: () => void): Promise<string[]> {
  const seen: string[] = [];
  const listener = (warning: Error & { code?: string }) => seen.push(warning.code ?? warning.name);
  process.on('warning', listener);
  try {
    act();
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

describe('shared/quiet-warnings', () => {
  it("drops DEP0111 for process.binding('http_parser') (restify's spdy) and nothing else", async () => {
    const seen = await warningsDuring(() => {
      process.emitWarning("Access to process.binding('http_parser') is deprecated.", 'DeprecationWarning', 'DEP0111');
      process.emitWarning("Access to process.binding('http_parser') is deprecated.", { type: 'DeprecationWarning', code: 'DEP0111' });
      process.emitWarning("Access to process.binding('fs') is deprecated.", 'DeprecationWarning', 'DEP0111');
      process.emitWarning('Something else is deprecated.', 'DeprecationWarning', 'DEP0005');
    });
    assert.deepEqual(seen, ['DEP0111', 'DEP0005']);
  });
});
