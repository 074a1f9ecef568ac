// The MongoDB-wire server the MongoDB suites run against, in order:
//   1. MONGODB_URI (CI sets it: .ci/run starts mongo-java-server; or Atlas, a local mongod);
//   2. mongo-java-server from test/mongo-server, started here when java and mvn exist;
//   3. none: the MongoDB suites are skipped with a loud notice, and fail under CI=true.
import { javaServerMissing, startJavaServer } from './java-mongo-server';

let resolved: Promise<string | null> | undefined;
let whyNone = '';
let noticeShown = false;

/** The URI of a usable server, or null; the Java server is started at most once per process. */
export function mongoTestUri(): Promise<string | null> {
  resolved ??= resolveUri();
  return resolved;
}

async function resolveUri(): Promise<string | null> {
  if (process.env.MONGODB_URI) return process.env.MONGODB_URI;
  const missing = javaServerMissing();
  if (missing) {
    whyNone = `MONGODB_URI is not set and ${missing}`;
    return null;
  }
  try {
    return (await startJavaServer()).uri;
  } catch (err) {
    whyNone = `MONGODB_URI is not set and ${(err as Error).message}`;
    return null;
  }
}

/** Why mongoTestUri() gave null (empty before it ran or when it found a server). */
export function noMongoServerReason(): string {
  return whyNone;
}

/** Whether the suites run against mongo-java-server (no query planner, no explain) rather than a real MongoDB. */
export async function isMongoJavaServer(uri: string): Promise<boolean> {
  const { MongoClient } = await import('mongodb');
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db('admin').command({ explain: { find: 'probe', filter: {} } });
    return false;
  } catch (err) {
    if ((err as { codeName?: string }).codeName === 'CommandNotFound') return true;
    throw err;
  } finally {
    await client.close();
  }
}

/**
 * For a suite's `before` hook: the server URI, or, when there is none, a
 * failure under CI (a missing server must not pass silently) and a skip with
 * a loud notice elsewhere.
 */
export async function mongoUriOrSkip(ctx: Mocha.Context): Promise<string> {
  const uri = await mongoTestUri();
  if (uri) return uri;
  if (process.env.CI) throw new Error(`No MongoDB-wire server for the MongoDB suites: ${whyNone}. .ci/run starts one.`);
  if (!noticeShown) {
    noticeShown = true;
    const bar = '!'.repeat(78);
    console.warn(
      `\n${bar}\n  SKIPPING the MongoDB suites: ${whyNone}.\n  Fix: install a JDK (17+) and Maven, or set MONGODB_URI, and run the tests again.\n${bar}\n`,
    );
  }
  ctx.skip();
}
