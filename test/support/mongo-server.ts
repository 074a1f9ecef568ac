// Finds or starts a MongoDB-wire server for the MongoDB store tests and the bench, in order:
//   1. env MONGODB_URI (CI sets it via `eval "$(bash .ci/ferretdb.sh)"`);
//   2. mongodb-memory-server-core, only if a mongod binary is already on disk
//      (this machine cannot download one, and we must not wait for a download);
//   3. a `ferretdb` binary (PATH or ~/go/bin), started on a free loopback port
//      with an SQLite folder under the temp dir, stopped when the process exits;
//   4. none: null.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { canConnect } from './can-connect';

const STARTUP_TIMEOUT_MS = 15_000;

let resolved: Promise<string | null> | undefined;
/** Why each option was not used, for the notice when none works. */
const attempts: string[] = [];

/** The URI of a usable server, or null; started at most once per process. */
export function mongoTestUri(): Promise<string | null> {
  resolved ??= resolveUri();
  return resolved;
}

/** What was tried, for messages when mongoTestUri() gives null. */
export function mongoTestAttempts(): string[] {
  return [...attempts];
}

async function resolveUri(): Promise<string | null> {
  if (process.env.MONGODB_URI) return process.env.MONGODB_URI;
  attempts.push('MONGODB_URI is not set');
  return (await fromMemoryServer()) ?? (await fromFerretDb());
}

async function fromMemoryServer(): Promise<string | null> {
  try {
    const { DryMongoBinary, MongoMemoryServer } = await import('mongodb-memory-server-core');
    // locateBinary only looks at the disk; create() would try to download when nothing is there.
    const binary = await withTimeout(
      DryMongoBinary.generateOptions().then((o) => DryMongoBinary.locateBinary(o)),
      3000,
      'looking for a cached mongod',
    );
    if (!binary) {
      attempts.push('mongodb-memory-server: no mongod binary on disk (and downloading is not possible here)');
      return null;
    }
    const server = await withTimeout(MongoMemoryServer.create({ binary: { systemBinary: binary } }), STARTUP_TIMEOUT_MS, 'starting mongod');
    const pid = server.instanceInfo?.instance.mongodProcess?.pid;
    process.once('exit', () => {
      if (pid) killQuietly(pid);
    });
    return server.getUri();
  } catch (err) {
    attempts.push(`mongodb-memory-server: ${(err as Error).message}`);
    return null;
  }
}

function ferretDbCandidates(): string[] {
  const onPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'ferretdb'));
  const all = [...onPath, path.join(os.homedir(), 'go', 'bin', 'ferretdb')].map((file) => path.resolve(file));
  return [...new Set(all)].filter((file) => fs.existsSync(file));
}

/** A binary that prints its version; `go install ...@v1.24.2` builds one that panics at start. */
function works(binary: string): boolean {
  try {
    execFileSync(binary, ['--version'], { timeout: 5000, stdio: 'ignore' });
    return true;
  } catch {
    attempts.push(`${binary} does not run (rebuild it with .ci/ferretdb.sh)`);
    return false;
  }
}

async function fromFerretDb(): Promise<string | null> {
  const binary = ferretDbCandidates().find(works);
  if (!binary) {
    if (attempts.every((a) => !a.includes('ferretdb'))) attempts.push('no ferretdb binary on PATH or in ~/go/bin');
    return null;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-ferretdb-'));
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const log = fs.openSync(path.join(dir, 'ferretdb.log'), 'a');
  const port = await freePort();
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      '--state-dir=-',
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    { stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  child.unref();
  process.once('exit', () => {
    stop(child);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  try {
    await waitForPort(port, child, STARTUP_TIMEOUT_MS);
  } catch (err) {
    stop(child);
    attempts.push(`${binary}: ${(err as Error).message} (log: ${path.join(dir, 'ferretdb.log')})`);
    return null;
  }
  return `mongodb://127.0.0.1:${port}/`;
}

function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.pid) killQuietly(child.pid);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode} during start-up`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`did not accept connections on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
