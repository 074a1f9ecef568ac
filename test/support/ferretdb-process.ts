import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { canConnect } from './can-connect';

/** A FerretDB server this test owns, so it can take the database away and bring it back. */
export class FerretDbProcess {
  private child: ChildProcess | null = null;
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-outage-'));

  private constructor(
    readonly binary: string,
    readonly port: number,
  ) {}

  /** The binary from PATH or ~/go/bin, or null when there is none. */
  static findBinary(): string | null {
    const candidates = [path.join(os.homedir(), 'go', 'bin', 'ferretdb'), 'ferretdb'];
    return candidates.find((candidate) => spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) ?? null;
  }

  static async start(binary: string): Promise<FerretDbProcess> {
    const server = new FerretDbProcess(binary, await freePort());
    await server.up();
    return server;
  }

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}/?serverSelectionTimeoutMS=1500&connectTimeoutMS=1500`;
  }

  async up(): Promise<void> {
    this.child = spawn(
      this.binary,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${this.dataDir}/`,
        `--listen-addr=127.0.0.1:${this.port}`,
        '--state-dir=-',
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=error',
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 15_000;
    while (!(await canConnect(this.port))) {
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`FerretDB did not start on port ${this.port}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** As if the database host died. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
