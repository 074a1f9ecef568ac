import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkDockerfile, emittedPath, lintDockerfile, repoFacts, type RepoFacts } from './dockerfile-checks';
import { DEPLOY_DIR, REPO_ROOT } from './fixtures';

const DOCKERFILE = path.join(DEPLOY_DIR, 'Dockerfile');
const DOCKERIGNORE = path.join(DEPLOY_DIR, 'Dockerfile.dockerignore');

function assertProblem(problems: string[], pattern: RegExp): void {
  assert.ok(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join('\n') || '(none)'}`);
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

  it('runs dist/src/main.js, which is what tsc emits for src/main.ts with this tsconfig', () => {
    assert.equal(repo.entry, 'dist/src/main.js');
    assert.equal(emittedPath('src/main.ts', 'src', 'out'), 'out/main.js');
  });

  it('the dockerignore keeps credentials and local state out of the build context', () => {
    for (const pattern of ['.env', '**/*.pem', '**/*.pfx', '**/*.key', '**/node_modules', 'data', '.git']) {
      assert.ok(repo.ignored.includes(pattern), `Dockerfile.dockerignore should list ${pattern}`);
    }
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
      assertProblem(checkDockerfile(broken('"dist/src/main.js"', '"dist/main.js"'), repo), /runtime CMD: must be \["node", "dist\/src\/main\.js"\]/);
    });

    it('a different tsc layout moves the expected entry', () => {
      assertProblem(checkDockerfile(content, { ...repo, entry: 'out/main.js' }), /must be \["node", "out\/main\.js"\]/);
    });

    it('an npm script that does not exist', () => {
      assertProblem(checkDockerfile(broken('npm run build', 'npm run compile'), repo), /npm run compile: package.json has no such script/);
    });

    it('a build script that is not tsc', () => {
      assertProblem(checkDockerfile(content, { ...repo, scripts: { ...repo.scripts, build: 'esbuild src/main.ts' } }), /build script must be "tsc -p tsconfig.json"/);
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
      assertProblem(checkDockerfile(broken('FROM node:20-bookworm-slim AS runtime', 'FROM node:22 AS runtime'), repo), /stage runtime: must start from node:20-bookworm-slim/);
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
