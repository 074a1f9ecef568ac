// Builds the final Teams app manifest from manifest/manifest.json and the
// deployment's values. Pure: no file or environment access here.

/** Who publishes the app; shown in Teams' app details. */
export interface DeveloperInfo {
  name: string;
  websiteUrl: string;
  privacyUrl: string;
  termsOfUseUrl: string;
}

/** The values a deployment supplies. IDs come from the Entra app registration. */
export interface ManifestValues {
  /** The Teams app's own ID (a GUID, stable across versions). */
  teamsAppId?: string;
  /** The bot's Microsoft App ID (MICROSOFT_APP_ID). */
  botId?: string;
  /** Host name the bot is served from, without scheme or path (validDomains). */
  botDomain?: string;
  /** App version, x.y.z. Defaults to the template's version. */
  version?: string;
  /** Publisher details. Missing fields default to pages on the bot's own domain. */
  developer?: Partial<DeveloperInfo>;
}

export type ManifestObject = Record<string, unknown>;

/** Thrown when required values are missing; the message names each one. */
export class ManifestValuesError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`Cannot build the Teams app manifest, missing: ${missing.join('; ')}`);
    this.name = 'ManifestValuesError';
  }
}

const PLACEHOLDER = /\$\{\{([A-Z0-9_]+)\}\}/g;

const REQUIRED: ReadonlyArray<{ key: 'teamsAppId' | 'botId' | 'botDomain'; env: string }> = [
  { key: 'teamsAppId', env: 'TEAMS_APP_ID' },
  { key: 'botId', env: 'MICROSOFT_APP_ID' },
  { key: 'botDomain', env: 'BOT_DOMAIN' },
];

/** Developer pages default to the bot's own domain so a package can always be built. */
export function defaultDeveloper(botDomain: string): DeveloperInfo {
  return {
    name: 'Custodian',
    websiteUrl: `https://${botDomain}/`,
    privacyUrl: `https://${botDomain}/privacy`,
    termsOfUseUrl: `https://${botDomain}/terms`,
  };
}

/**
 * Fills every `${{NAME}}` placeholder in the template and returns a new object.
 * Throws ManifestValuesError naming each missing value, and names any
 * placeholder the template uses that no value fills.
 */
export function buildManifest(template: ManifestObject, values: ManifestValues): ManifestObject {
  const missing = REQUIRED.filter(({ key }) => isBlank(values[key])).map(({ key, env }) => `${key} (${env})`);
  if (missing.length > 0) throw new ManifestValuesError(missing);

  const botDomain = values.botDomain!.trim();
  const developer = { ...defaultDeveloper(botDomain), ...withoutBlanks(values.developer ?? {}) };
  const substitutions: Record<string, string> = {
    TEAMS_APP_ID: values.teamsAppId!.trim(),
    BOT_ID: values.botId!.trim(),
    BOT_DOMAIN: botDomain,
    DEVELOPER_NAME: developer.name,
    DEVELOPER_WEBSITE_URL: developer.websiteUrl,
    DEVELOPER_PRIVACY_URL: developer.privacyUrl,
    DEVELOPER_TERMS_URL: developer.termsOfUseUrl,
  };

  const unknown = new Set<string>();
  const filled = fill(template, substitutions, unknown) as ManifestObject;
  if (unknown.size > 0) {
    throw new ManifestValuesError([...unknown].map((name) => `no value for placeholder \${{${name}}}`));
  }
  if (!isBlank(values.version)) filled.version = values.version!.trim();
  return filled;
}

function fill(node: unknown, substitutions: Record<string, string>, unknown: Set<string>): unknown {
  if (typeof node === 'string') {
    return node.replace(PLACEHOLDER, (whole, name: string) => {
      const value = substitutions[name];
      if (value === undefined) {
        unknown.add(name);
        return whole;
      }
      return value;
    });
  }
  if (Array.isArray(node)) return node.map((item) => fill(item, substitutions, unknown));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = fill(value, substitutions, unknown);
    return out;
  }
  return node;
}

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

function withoutBlanks(info: Partial<DeveloperInfo>): Partial<DeveloperInfo> {
  const out: Partial<DeveloperInfo> = {};
  for (const [key, value] of Object.entries(info) as Array<[keyof DeveloperInfo, string | undefined]>) {
    if (!isBlank(value)) out[key] = value!.trim();
  }
  return out;
}
