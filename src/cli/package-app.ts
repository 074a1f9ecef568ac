import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildAppPackage, PACKAGE_FILE_NAME, readPackageValues } from '../manifest/app-package';
import { ManifestValuesError } from '../manifest/build-manifest';

// npm run package: builds build/custodian-teams-app.zip for upload to the
// Teams admin center. Values come from the environment:
//   TEAMS_APP_ID, MICROSOFT_APP_ID, BOT_DOMAIN (required in production)
//   APP_VERSION, DEVELOPER_NAME, DEVELOPER_WEBSITE_URL, DEVELOPER_PRIVACY_URL,
//   DEVELOPER_TERMS_URL (optional)
// Outside production (CUSTODIAN_MODE != production and no --production flag)
// missing IDs fall back to fixed local values, with a notice for each.

export interface PackageAppIo {
  env: Record<string, string | undefined>;
  argv: readonly string[];
  /** Folder holding package.json, manifest/ and build/. */
  rootDir: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Runs the packaging; returns the process exit code. */
export function runPackageApp(io: PackageAppIo): number {
  const production = io.env.CUSTODIAN_MODE === 'production' || io.argv.includes('--production');
  const { values, notices } = readPackageValues(io.env, { allowDevDefaults: !production });
  for (const notice of notices) io.err(`notice: ${notice}`);
  if (values.version === undefined) values.version = packageVersion(io.rootDir);

  let built;
  try {
    built = buildAppPackage(path.join(io.rootDir, 'manifest'), values);
  } catch (error) {
    if (error instanceof ManifestValuesError) {
      io.err('Teams app package not written. Set these environment variables:');
      for (const missing of error.missing) io.err(`  - ${missing}`);
      return 1;
    }
    throw error;
  }
  if (!built.zip) {
    io.err('Teams app package not written; the manifest or icons have problems:');
    for (const problem of built.problems) io.err(`  - ${problem}`);
    return 1;
  }
  const outFile = path.join(io.rootDir, 'build', PACKAGE_FILE_NAME);
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, built.zip);
  io.out(outFile);
  return 0;
}

function packageVersion(rootDir: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  process.exitCode = runPackageApp({
    env: process.env,
    argv: process.argv.slice(2),
    rootDir: process.cwd(),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
