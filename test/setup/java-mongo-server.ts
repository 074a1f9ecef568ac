// mongo-java-server 1.47.0 (memory backend) from the Maven project in
// test/mongo-server: built by `mvn` on first use (Maven Central, cached in
// ~/.m2), then started on a free loopback port. Its writes are atomic per
// collection, so the store's concurrency tests mean something on it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const PROJECT = path.resolve(__dirname, '..', 'mongo-server');
const CLASSPATH_FILE = path.join(PROJECT, 'target', 'classpath.txt');
const LAUNCHER_CLASS = path.join(PROJECT, 'target', 'classes', 'custodian', 'TestServer.class');
const SOURCES = [
  path.join(PROJECT, 'pom.xml'),
  ...['TestServer.java', 'IdLookupBackend.java'].map((file) => path.join(PROJECT, 'src', 'main', 'java', 'custodian', file)),
];
const START_TIMEOUT_MS = 30_000;

export interface JavaMongoServer {
  uri: string;
  port: number;
  /** Ends the server (it also ends by itself when this process exits: its stdin closes). */
  stop(): void;
}

function hasCommand(command: string): boolean {
  return spawnSync(command, ['-version'], { stdio: 'ignore' }).status === 0;
}

/** Why the server cannot be started here, or null when java and mvn are both present. */
export function javaServerMissing(): string | null {
  const missing = ['java', 'mvn'].filter((command) => !hasCommand(command));
  return missing.length > 0 ? `${missing.join(' and ')} not found on PATH (needed for mongo-java-server)` : null;
}

function upToDate(): boolean {
  if (!fs.existsSync(CLASSPATH_FILE) || !fs.existsSync(LAUNCHER_CLASS)) return false;
  const built = fs.statSync(LAUNCHER_CLASS).mtimeMs;
  return SOURCES.every((file) => fs.statSync(file).mtimeMs <= built);
}

/** Compiles the launcher and writes its class path (downloads the jars once). */
export function buildJavaServer(): void {
  if (upToDate()) return;
  const result = spawnSync('mvn', ['-q', '-B', 'compile', 'dependency:build-classpath', `-Dmdep.outputFile=${CLASSPATH_FILE}`], {
    cwd: PROJECT,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (result.status !== 0) {
    throw new Error(`mvn could not build ${PROJECT} (exit ${String(result.status)}): ${(result.stdout + result.stderr).slice(-2000)}`);
  }
}

/** Starts a server on a free loopback port; rejects when it does not say it listens within 30 s. */
export async function startJavaServer(heapMb = 1024): Promise<JavaMongoServer> {
  buildJavaServer();
  const classpath = [path.join(PROJECT, 'target', 'classes'), fs.readFileSync(CLASSPATH_FILE, 'utf8').trim()].join(path.delimiter);
  const child = spawn('java', [`-Xmx${heapMb}m`, '-cp', classpath, 'custodian.TestServer', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mongo-java-server did not report a port within ${START_TIMEOUT_MS} ms: ${stderr}`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mongo-java-server exited with code ${String(code)} during start-up: ${stderr}`));
    });
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const match = /^listening (\d+)$/.exec(line.trim());
      if (match) resolve(Number(match[1]));
      else reject(new Error(`mongo-java-server said ${JSON.stringify(line)} instead of its port`));
    });
  });
  child.removeAllListeners('exit');
  // The server must not keep this process alive; closing stdin (at exit, or stop()) ends it.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    stop() {
      child.stdin.end();
      child.kill('SIGTERM');
    },
  };
}
