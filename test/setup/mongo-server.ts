import { mongoTestAttempts, mongoTestUri } from '../support/mongo-server';

let noticeShown = false;

/**
 * For a suite's `before` hook: the server URI, or, when there is none, a
 * failure under CI (a missing server must not pass silently) and a skip with
 * a loud notice elsewhere.
 */
export async function mongoUriOrSkip(ctx: Mocha.Context): Promise<string> {
  const uri = await mongoTestUri();
  if (uri) return uri;
  const why = mongoTestAttempts().join('; ');
  if (process.env.CI) {
    throw new Error(`No MongoDB-wire server for the MongoDB store tests (${why}). Run: eval "$(bash .ci/ferretdb.sh)"`);
  }
  if (!noticeShown) {
    noticeShown = true;
    const bar = '!'.repeat(78);
    console.warn(
      `\n${bar}\n  SKIPPING the MongoDB store tests: no MongoDB-wire server.\n  ${why}\n  Fix: eval "$(bash .ci/ferretdb.sh)" and run the tests again.\n${bar}\n`,
    );
  }
  ctx.skip();
}
