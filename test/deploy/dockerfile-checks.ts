import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';

// Checks that deploy/Dockerfile agrees with the repository: the npm scripts it
// runs exist, its CMD is the file tsc emits for src/main.ts (with the build's
// tsconfig), the runtime caps the heap as \`npm run serve\` does, the paths it
// copies exist, and the runtime image is lean, non-root and self-checking.
// Each function returns problems (empty = fine) so tests can feed broken copies.

export const BASE_IMAGE = 'node:20-bookworm-slim';

export interface RepoFacts {
  /** package.json scripts. */
  scripts: Record<string, string>;
  /** What tsc writes for src/main.ts with the build script's tsconfig, e.g. dist/main.js. */
  entry: string;
  /** Whether a path exists relative to the build context (the repository root). */
  exists: (relativePath: string) => boolean;
  /** Lines of the Dockerfile's .dockerignore. */
  ignored: string[];
}

interface Stage {
  name?: string;
  image: string;
  instructions: Instruction[];
}

/** Reads the facts from a repository checkout. */
export function repoFacts(root: string, dockerignore: string, exists: (p: string) => boolean): RepoFacts {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const scripts = pkg.scripts ?? {};
  const compilerOptions = buildCompilerOptions(root, /-p\s+(\S+)/.exec(scripts.build ?? '')?.[1] ?? 'tsconfig.json');
  return {
    scripts,
    entry: emittedPath('src/main.ts', compilerOptions.rootDir ?? '.', compilerOptions.outDir ?? '.'),
    exists,
    ignored: readFileSync(dockerignore, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  };
}

interface CompilerPaths {
  outDir?: string;
  rootDir?: string;
}

/** rootDir and outDir of a tsconfig, following "extends" (relative paths only, as in this repository). */
function buildCompilerOptions(root: string, file: string): CompilerPaths {
  const config = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as { extends?: string; compilerOptions?: CompilerPaths };
  const base = config.extends ? buildCompilerOptions(root, path.posix.join(path.posix.dirname(file), config.extends)) : {};
  return { ...base, ...config.compilerOptions };
}

/** The V8 heap flags a command line or NODE_OPTIONS value sets, e.g. ["--max-old-space-size=128"]. */
export function heapFlags(commandLine: string): string[] {
  return commandLine.split(/\s+/).filter((word) => /^--max-(semi|old)-space-size=\d+$/.test(word));
}

/** Where tsc writes a source file given rootDir and outDir. */
export function emittedPath(sourceFile: string, rootDir: string, outDir: string): string {
  const relative = path.posix.relative(path.posix.normalize(rootDir), sourceFile);
  return path.posix.join(outDir, relative).replace(/\.ts$/, '.js');
}

/** Lint errors and warnings from dockerfile-utils, as readable lines. */
export function lintDockerfile(content: string): string[] {
  return validate(content)
    .filter((d) => d.severity === ValidationSeverity.ERROR || d.severity === ValidationSeverity.WARNING)
    .map((d) => `line ${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`);
}

function stagesOf(content: string): Stage[] {
  const result: Stage[] = [];
  for (const instruction of DockerfileParser.parse(content).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const words = args(instruction);
      const asIndex = words.findIndex((a) => a.toUpperCase() === 'AS');
      result.push({ image: words[0] ?? '', name: asIndex >= 0 ? words[asIndex + 1] : undefined, instructions: [] });
    } else if (result.length > 0) {
      result[result.length - 1].instructions.push(instruction);
    }
  }
  return result;
}

function args(instruction: Instruction): string[] {
  return instruction.getArguments().map((a) => a.getValue());
}

function text(instruction: Instruction): string {
  return instruction.getRawArgumentsContent() ?? args(instruction).join(' ');
}

/** The stage a COPY --from=<stage> reads from, if any. */
function copyFrom(instruction: Instruction): string | undefined {
  const flags = (instruction as unknown as { getFlags?: () => Array<{ getName(): string; getValue(): string | null }> }).getFlags?.() ?? [];
  return flags.find((f) => f.getName() === 'from')?.getValue() ?? undefined;
}

/** A stage with the stages it is built FROM, oldest first. */
function lineage(all: Stage[], stage: Stage): Stage[] {
  const parent = all.find((s) => s.name === stage.image && s !== stage);
  return parent ? [...lineage(all, parent), stage] : [stage];
}

function runs(stages: Stage[]): string[] {
  return stages
    .flatMap((s) => s.instructions)
    .filter((i) => i.getKeyword() === 'RUN')
    .map(text);
}

/** The exec-form command of the last stage's HEALTHCHECK, e.g. ["node", "-e", "..."]. */
export function healthcheckCommand(content: string): string[] {
  const all = stagesOf(content);
  const check = all[all.length - 1]?.instructions.find((i) => i.getKeyword() === 'HEALTHCHECK');
  const raw = check ? text(check) : '';
  const exec = /CMD\s+(\[.*\])\s*$/s.exec(raw);
  if (!exec) throw new Error(`HEALTHCHECK has no exec-form CMD: ${raw}`);
  return JSON.parse(exec[1]) as string[];
}

export function checkDockerfile(content: string, repo: RepoFacts): string[] {
  const problems: string[] = [];
  const all = stagesOf(content);
  if (all.length < 2) return ['the Dockerfile must be multi-stage (a build stage and a runtime stage)'];
  const runtime = all[all.length - 1];

  for (const stage of all) {
    const root = lineage(all, stage)[0];
    if (root.image !== BASE_IMAGE)
      problems.push(`stage ${stage.name ?? '(unnamed)'}: must start from ${BASE_IMAGE}, starts from ${root.image}`);
  }

  // Build: npm ci (all dependencies) before npm run build, with compilers for native modules.
  const build = all.find((s) => runs([s]).some((r) => /\bnpm run build\b/.test(r)));
  if (!build) {
    problems.push('no stage runs npm run build');
  } else {
    const buildRuns = runs(lineage(all, build));
    const ci = buildRuns.findIndex((r) => /\bnpm ci\b/.test(r) && !/--omit=dev/.test(r));
    const compile = buildRuns.findIndex((r) => /\bnpm run build\b/.test(r));
    if (ci < 0 || ci > compile) problems.push(`stage ${build.name ?? '(unnamed)'}: npm ci must run before npm run build`);
    if (!buildRuns.some((r) => /python3/.test(r) && /\bmake\b/.test(r) && /g\+\+/.test(r))) {
      problems.push(`stage ${build.name ?? '(unnamed)'}: install python3, make and g++ (better-sqlite3 may compile)`);
    }
  }
  for (const match of runs(all).flatMap((r) => [...r.matchAll(/\bnpm run ([\w:-]+)/g)])) {
    if (!repo.scripts[match[1]]) problems.push(`npm run ${match[1]}: package.json has no such script`);
  }
  if (!/^tsc\b.*-p tsconfig\.build\.json/.test(repo.scripts.build ?? ''))
    problems.push('package.json build script must be "tsc -p tsconfig.build.json"');
  if (repo.scripts.serve !== undefined && !new RegExp(`^node\\b.* ${repo.entry.replace(/\./g, '\\.')}$`).test(repo.scripts.serve))
    problems.push(`package.json serve script must run node ${repo.entry} (compiled code, no tsx)`);

  // Runtime: the emitted entry point, production dependencies, data folders.
  const cmds = runtime.instructions.filter((i) => i.getKeyword() === 'CMD');
  if (cmds.length !== 1) {
    problems.push(`runtime stage: needs exactly one CMD, has ${cmds.length}`);
  } else {
    let exec: unknown;
    try {
      exec = JSON.parse(text(cmds[0]));
    } catch {
      exec = undefined;
    }
    if (!Array.isArray(exec) || exec[0] !== 'node' || exec[1] !== repo.entry) {
      problems.push(`runtime CMD: must be ["node", "${repo.entry}"] (what tsc emits for src/main.ts), is ${text(cmds[0])}`);
    }
  }
  // The same heap limits as npm run serve, so that the container behaves as measured.
  const env = runtime.instructions
    .filter((i) => i.getKeyword() === 'ENV')
    .map(text)
    .join(' ');
  const nodeOptions = /NODE_OPTIONS="([^"]*)"/.exec(env)?.[1] ?? '';
  const serveFlags = heapFlags(repo.scripts.serve ?? '');
  if (serveFlags.length === 0 || heapFlags(nodeOptions).join(' ') !== serveFlags.join(' '))
    problems.push(
      `runtime stage: NODE_OPTIONS must set the heap flags of npm run serve (${serveFlags.join(' ') || 'none'}), sets "${nodeOptions}"`,
    );
  const copies = runtime.instructions.filter((i) => i.getKeyword() === 'COPY').map((i) => ({ from: copyFrom(i), paths: args(i) }));
  const modules = copies.find((c) => c.from !== undefined && /node_modules$/.test(c.paths[0] ?? ''));
  const modulesStage = modules ? all.find((s) => s.name === modules.from) : undefined;
  if (runs([runtime]).some((r) => /\bnpm ci --omit=dev\b/.test(r))) {
    // Installing in the runtime stage itself is fine too.
  } else if (!modulesStage || !runs([modulesStage]).some((r) => /\bnpm ci --omit=dev\b/.test(r))) {
    problems.push('runtime stage: node_modules must come from npm ci --omit=dev');
  }
  if (!copies.some((c) => c.from === build?.name && c.paths[0] === '/app/dist')) {
    problems.push('runtime stage: must copy /app/dist from the build stage');
  }
  for (const folder of ['bot', 'manifest']) {
    if (!copies.some((c) => c.from === undefined && c.paths[0] === folder)) problems.push(`runtime stage: must copy ${folder}/`);
  }

  // Paths copied from the build context must exist and not be ignored.
  const contextSources = all
    .flatMap((s) => s.instructions)
    .filter((i) => i.getKeyword() === 'COPY' && copyFrom(i) === undefined)
    .flatMap((i) => args(i).slice(0, -1));
  for (const source of contextSources) {
    if (!repo.exists(source)) problems.push(`COPY ${source}: not in the repository`);
    const top = source.split('/')[0];
    if (repo.ignored.includes(top) || repo.ignored.includes(source)) problems.push(`COPY ${source}: excluded by the dockerignore`);
  }

  // Non-root, and a health check that works without curl.
  const userIndex = runtime.instructions.findIndex((i) => i.getKeyword() === 'USER');
  const cmdIndex = runtime.instructions.findIndex((i) => i.getKeyword() === 'CMD');
  const users = runtime.instructions.filter((i) => i.getKeyword() === 'USER').map(text);
  if (users.length !== 1 || users[0] !== 'node' || userIndex > cmdIndex) {
    problems.push(`runtime stage: must switch to USER node before CMD (found ${JSON.stringify(users)})`);
  }
  const healthchecks = runtime.instructions.filter((i) => i.getKeyword() === 'HEALTHCHECK').map(text);
  if (healthchecks.length !== 1) {
    problems.push('runtime stage: needs one HEALTHCHECK');
  } else {
    const check = healthchecks[0];
    if (!/CMD \["node", "-e"/.test(check)) problems.push('HEALTHCHECK: must run node (slim images have no curl)');
    if (/\bcurl\b|\bwget\b/.test(check)) problems.push('HEALTHCHECK: curl and wget are not in the slim image');
    if (!/http:\/\/127\.0\.0\.1:' \+ \(process\.env\.PORT \|\| 3978\) \+ '\/healthz/.test(check)) {
      problems.push('HEALTHCHECK: must call http://127.0.0.1:${PORT:-3978}/healthz');
    }
  }
  return problems;
}
