import { readFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { buildManifest, type ManifestObject, type ManifestValues } from './build-manifest';
import { checkIcon } from './check-icon';
import { validateManifest } from './validate-manifest';

// Reads deployment values, builds and checks the manifest, and zips it with
// the icons into the package that is uploaded to the Teams admin center.

/** Fixed values for local use only; never valid for a real tenant. */
export const DEV_DEFAULTS = {
  TEAMS_APP_ID: '3c1f6a2e-5b7d-4e8a-9f10-2a4b6c8d0e1f',
  MICROSOFT_APP_ID: '00000000-0000-4000-8000-00000000c0de',
  BOT_DOMAIN: 'localhost',
} as const;

export const PACKAGE_FILE_NAME = 'custodian-teams-app.zip';

export interface PackageValues {
  values: ManifestValues;
  /** One line per value that fell back to a local default. */
  notices: string[];
}

/**
 * Maps environment variables to manifest values. With allowDevDefaults the
 * three IDs fall back to fixed local values (each reported in `notices`);
 * without it, missing IDs stay missing and buildManifest names them.
 */
export function readPackageValues(env: Record<string, string | undefined>, options: { allowDevDefaults: boolean }): PackageValues {
  const notices: string[] = [];
  const pick = (name: keyof typeof DEV_DEFAULTS): string | undefined => {
    const value = env[name]?.trim();
    if (value) return value;
    if (!options.allowDevDefaults) return undefined;
    notices.push(`${name} is not set; using the local development value ${DEV_DEFAULTS[name]}`);
    return DEV_DEFAULTS[name];
  };
  return {
    values: {
      teamsAppId: pick('TEAMS_APP_ID'),
      botId: pick('MICROSOFT_APP_ID'),
      botDomain: pick('BOT_DOMAIN'),
      version: env.APP_VERSION?.trim() || undefined,
      developer: {
        name: env.DEVELOPER_NAME,
        websiteUrl: env.DEVELOPER_WEBSITE_URL,
        privacyUrl: env.DEVELOPER_PRIVACY_URL,
        termsOfUseUrl: env.DEVELOPER_TERMS_URL,
      },
    },
    notices,
  };
}

export interface BuiltPackage {
  manifest: ManifestObject;
  /** Everything that would make Teams reject the package; empty when good. */
  problems: string[];
  /** The zip, only when there are no problems. */
  zip?: Buffer;
}

/**
 * Builds the manifest from `<templateDir>/manifest.json`, checks it and the
 * icons it names, and returns the zip with all three files at its root.
 * Throws ManifestValuesError when required values are missing.
 */
export function buildAppPackage(templateDir: string, values: ManifestValues): BuiltPackage {
  const template = JSON.parse(readFileSync(path.join(templateDir, 'manifest.json'), 'utf8')) as ManifestObject;
  const manifest = buildManifest(template, values);
  const problems = validateManifest(manifest);

  const icons = (manifest.icons ?? {}) as { color?: unknown; outline?: unknown };
  const files: Array<{ name: string; data: Buffer }> = [];
  for (const [kind, size, transparent] of [
    ['color', 192, false],
    ['outline', 32, true],
  ] as const) {
    const name = icons[kind];
    if (typeof name !== 'string' || name === '') continue; // validateManifest already reported it
    let data: Buffer;
    try {
      data = readFileSync(path.join(templateDir, name));
    } catch {
      problems.push(`icons.${kind}: file ${name} not found next to manifest.json`);
      continue;
    }
    problems.push(...checkIcon(data, size, transparent, `icons.${kind} (${name})`));
    files.push({ name, data });
  }
  if (problems.length > 0) return { manifest, problems };

  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
  for (const file of files) zip.addFile(file.name, file.data);
  return { manifest, problems, zip: zip.toBuffer() };
}
