import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { checkDockerfile, emittedPath, healthcheckCommand, lintDockerfile, repoFacts, type RepoFacts } from './dockerfile-checks';
import { DEPLOY_DIR, REPO_ROOT } from './fixtures';

const DOCKERFILE = path.join(DEPLOY_DIR, 'Dockerfile');
const DOCKERIGNORE = path.join(DEPLOY_DIR, 'Dockerfile.dockerignore');

function assertProblem(problems: string[], pattern: RegExp): void {
  assert.ok(
    problems.some((p) => pattern.test(p)),
    `expected a problem matching ${pattern}, got:\n${problems.join('\n') || '(none)'}`,
  );
}

describe('deploy/Dockerfile', () => {
  const content = readFileSync(DOCKERFILE, 'utf8');
  const repo: RepoFacts = repoFacts(REPO_ROOT, DOCKERIGNORE, (p) => existsSync(path.join(REPO_ROOT, p)));

  it('has no lint errors or warnings (dockerfile-utils)', () => {
    assert.deepEqual(lintDockerfile(content), []);
  });

  it('agrees with the repository: scripts, entry point, copied paths, user, health check', () => {
    assert.deepEqual(checkDockerfile(content, repo), []);
  });

  it('runs dist/main.js, which is what tsc emits for src/main.ts with the build tsconfig', () => {
    assert.equal(repo.entry, 'dist/main.js');
    assert.equal(emittedPath('src/main.ts', 'src', 'out'), 'out/main.js');
  });

  it('the dockerignore keeps credentials and local state out of the build context', () => {
    for (const pattern of ['.env', '**/*.pem', '**/*.pfx', '**/*.key', '**/node_modules', 'data', '.git']) {
      assert.ok(repo.ignored.includes(pattern), `Dockerfile.dockerignore should list ${pattern}`);
    }
  });

  describe('the HEALTHCHECK command, run for real against a loopback server', function () {
    // Each case starts a node process.
    this.timeout(20_000);
    let server: Server;
    let status = 200;
    let port = 0;

    before(async () => {
      server = createServer((req, res) => {
        res.statusCode = req.url === '/healthz' ? status : 404;
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** Runs the Dockerfile's HEALTHCHECK exec form with PORT set; resolves to the exit code. */
    function runHealthcheck(envPort: number): Promise<number> {
      const [command, ...commandArgs] = healthcheckCommand(content);
      return new Promise((resolve) => {
        execFile(command, commandArgs, { env: { ...process.env, PORT: String(envPort) }, timeout: 10_000 }, (error) => {
          resolve(error ? Number((error as { code?: number }).code ?? 1) : 0);
        });
      });
    }

    it('exits 0 when /healthz answers 200 on $PORT', async () => {
      status = 200;
      assert.equal(await runHealthcheck(port), 0);
    });

    it('exits 1 when /healthz answers 503', async () => {
      status = 503;
      assert.equal(await runHealthcheck(port), 1);
    });

    it('exits 1 when nothing listens on $PORT', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const unused = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      assert.equal(await runHealthcheck(unused), 1);
    });
  });

  describe('the checks catch a broken Dockerfile', () => {
    const broken = (from: string | RegExp, to: string): string => {
      const changed = content.replace(from, to);
      assert.notEqual(changed, content, `test setup: ${from} not found in the Dockerfile`);
      return changed;
    };

    it('lint reports syntax errors', () => {
      assert.ok(lintDockerfile('FROM node:20-bookworm-slim\nEXPOSE port\nHEALTHCHECK CMD\n').length >= 2);
    });

    it('a CMD that is not what tsc emits', () => {
      assertProblem(
        checkDockerfile(broken('"dist/main.js"', '"dist/src/main.js"'), repo),
        /runtime CMD: must be \["node", "dist\/main\.js"\]/,
      );
    });

    it('a different tsc layout moves the expected entry', () => {
      assertProblem(checkDockerfile(content, { ...repo, entry: 'out/main.js' }), /must be \["node", "out\/main\.js"\]/);
    });

    it('an npm script that does not exist', () => {
      assertProblem(checkDockerfile(broken('npm run build', 'npm run compile'), repo), /npm run compile: package.json has no such script/);
    });

    it('a build script that is not tsc', () => {
      assertProblem(
        checkDockerfile(content, { ...repo, scripts: { ...repo.scripts, build: 'esbuild src/main.ts' } }),
        /build script must be "tsc -p tsconfig.build.json"/,
      );
    });

    it('a serve script that runs TypeScript through tsx', () => {
      assertProblem(
        checkDockerfile(content, { ...repo, scripts: { ...repo.scripts, serve: 'tsx src/main.ts' } }),
        /serve script must run node dist\/main\.js/,
      );
    });

    it('a runtime without the heap limits of npm run serve', () => {
      assertProblem(checkDockerfile(broken(/ {4}NODE_OPTIONS=.*\n/, ''), repo), /NODE_OPTIONS must set the heap flags of npm run serve/);
      assertProblem(
        checkDockerfile(broken('--max-old-space-size=128', '--max-old-space-size=512'), repo),
        /NODE_OPTIONS must set the heap flags/,
      );
    });

    it('npm run build without npm ci before it', () => {
      const text = broken(/COPY package\.json package-lock\.json \.\/\nRUN npm ci\n/, '');
      assertProblem(checkDockerfile(text, repo), /npm ci must run before npm run build/);
    });

    it('no compilers for better-sqlite3', () => {
      assertProblem(checkDockerfile(broken('python3 make g++', 'ca-certificates'), repo), /install python3, make and g\+\+/);
    });

    it('development dependencies in the runtime image', () => {
      assertProblem(checkDockerfile(broken('npm ci --omit=dev', 'npm ci'), repo), /node_modules must come from npm ci --omit=dev/);
    });

    it('a different base image', () => {
      assertProblem(
        checkDockerfile(broken('FROM node:20-bookworm-slim AS runtime', 'FROM node:22 AS runtime'), repo),
        /stage runtime: must start from node:20-bookworm-slim/,
      );
    });

    it('running as root', () => {
      assertProblem(checkDockerfile(broken('USER node', 'USER root'), repo), /must switch to USER node/);
    });

    it('a curl health check', () => {
      const text = broken(/CMD \["node", "-e", .*\]\n/, 'CMD curl -f http://127.0.0.1:3978/healthz || exit 1\n');
      const problems = checkDockerfile(text, repo);
      assertProblem(problems, /HEALTHCHECK: must run node/);
      assertProblem(problems, /curl and wget are not in the slim image/);
    });

    it('copying a path that is not in the repository or is ignored', () => {
      const problems = checkDockerfile(broken('COPY manifest ./manifest', 'COPY manifests ./manifest\nCOPY test ./test'), repo);
      assertProblem(problems, /COPY manifests: not in the repository/);
      assertProblem(problems, /COPY test: excluded by the dockerignore/);
    });

    it('a runtime that forgets bot/ or dist', () => {
      const problems = checkDockerfile(broken('COPY bot ./bot\n', '').replace('COPY --from=build /app/dist ./dist\n', ''), repo);
      assertProblem(problems, /must copy bot\//);
      assertProblem(problems, /must copy \/app\/dist from the build stage/);
    });
  });
});
