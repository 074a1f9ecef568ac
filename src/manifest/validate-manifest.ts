// Checks a built Teams app manifest for the mistakes that make Teams reject
// an upload. Each problem names the field it concerns. The limits follow the
// published app manifest schema (v1.30) and Teams' stricter display limits
// for bot command titles and descriptions.

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
// Same shape as the schema's semver definition: x.y.z, no leading zeros.
const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/(?:en-us\/)?json-schemas\/teams\/v(1\.\d+|DevPreview)\/MicrosoftTeams\.schema\.json$/i;
const BOT_SCOPES = new Set(['personal', 'team', 'groupChat', 'copilot']);
const MAX_COMMANDS = 12;

type Json = Record<string, unknown>;

/** Returns the problems found; an empty list means the manifest looks valid. */
export function validateManifest(manifest: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(manifest)) return ['manifest: must be a JSON object'];

  checkSchemaAndVersion(manifest, problems);
  const version = manifest.version;
  if (typeof version !== 'string' || !SEMVER.test(version)) {
    problems.push(`version: must be a version like 1.0.0 (major.minor.patch), got ${show(version)}`);
  }
  if (typeof manifest.id !== 'string' || !GUID.test(manifest.id)) {
    problems.push(`id: must be a GUID (the Teams app ID), got ${show(manifest.id)}`);
  }
  checkDeveloper(manifest.developer, problems);
  checkNameAndDescription(manifest, problems);
  checkIcons(manifest.icons, problems);
  if (typeof manifest.accentColor !== 'string' || !HEX_COLOR.test(manifest.accentColor)) {
    problems.push(`accentColor: must be a colour like #1F4E79, got ${show(manifest.accentColor)}`);
  }
  checkBots(manifest.bots, problems);
  checkValidDomains(manifest.validDomains, problems);
  checkNoPlaceholders(manifest, '', problems);
  return problems;
}

function checkSchemaAndVersion(manifest: Json, problems: string[]): void {
  const schema = manifest.$schema;
  const manifestVersion = manifest.manifestVersion;
  if (typeof schema !== 'string' || schema === '') {
    problems.push('$schema: missing; use https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json');
  } else if (!SCHEMA_URL.test(schema)) {
    problems.push(`$schema: must be a published Teams manifest schema URL, got ${show(schema)}`);
  }
  if (typeof manifestVersion !== 'string' || manifestVersion === '') {
    problems.push('manifestVersion: missing (for example "1.30")');
    return;
  }
  const match = typeof schema === 'string' ? SCHEMA_URL.exec(schema) : null;
  if (match) {
    const schemaVersion = match[1]!.toLowerCase() === 'devpreview' ? 'devPreview' : match[1]!;
    if (schemaVersion !== manifestVersion) {
      problems.push(`manifestVersion: "${manifestVersion}" does not match the $schema version "${schemaVersion}"`);
    }
  }
}

function checkDeveloper(developer: unknown, problems: string[]): void {
  if (!isObject(developer)) {
    problems.push('developer: missing (name, websiteUrl, privacyUrl, termsOfUseUrl)');
    return;
  }
  checkText(developer.name, 'developer.name', 32, problems);
  for (const field of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl'] as const) {
    const value = developer[field];
    if (typeof value !== 'string' || value === '') {
      problems.push(`developer.${field}: missing (an https:// URL)`);
    } else if (!isHttpsUrl(value)) {
      problems.push(`developer.${field}: must be an https:// URL, got ${show(value)}`);
    }
  }
}

function checkNameAndDescription(manifest: Json, problems: string[]): void {
  const name = manifest.name;
  if (!isObject(name)) {
    problems.push('name: missing (name.short is required)');
  } else {
    checkText(name.short, 'name.short', 30, problems);
    if (name.full !== undefined) checkText(name.full, 'name.full', 100, problems);
  }
  const description = manifest.description;
  if (!isObject(description)) {
    problems.push('description: missing (description.short and description.full are required)');
  } else {
    checkText(description.short, 'description.short', 80, problems);
    checkText(description.full, 'description.full', 4000, problems);
  }
}

function checkIcons(icons: unknown, problems: string[]): void {
  if (!isObject(icons)) {
    problems.push('icons: missing (icons.color and icons.outline are required)');
    return;
  }
  for (const field of ['color', 'outline'] as const) {
    const value = icons[field];
    if (typeof value !== 'string' || value === '') {
      problems.push(`icons.${field}: missing (a file name inside the package, for example ${field}.png)`);
    } else if (/^[a-z]+:/i.test(value) || value.startsWith('/') || value.split('/').includes('..')) {
      problems.push(`icons.${field}: must be a relative path inside the package, got ${show(value)}`);
    } else if (!value.toLowerCase().endsWith('.png')) {
      problems.push(`icons.${field}: must be a PNG file, got ${show(value)}`);
    }
  }
}

function checkBots(bots: unknown, problems: string[]): void {
  if (!Array.isArray(bots) || bots.length === 0) {
    problems.push('bots: missing (exactly one bot is required)');
    return;
  }
  if (bots.length > 1) problems.push(`bots: Teams allows one bot per app, found ${bots.length}`);
  const bot = bots[0];
  if (!isObject(bot)) {
    problems.push('bots[0]: must be an object');
    return;
  }
  if (typeof bot.botId !== 'string' || !GUID.test(bot.botId)) {
    problems.push(`bots[0].botId: must be a GUID (the bot's Microsoft App ID), got ${show(bot.botId)}`);
  }
  const scopes = checkScopes(bot.scopes, 'bots[0].scopes', problems);
  if (bot.commandLists === undefined) return;
  if (!Array.isArray(bot.commandLists)) {
    problems.push('bots[0].commandLists: must be a list');
    return;
  }
  bot.commandLists.forEach((list, index) => checkCommandList(list, `bots[0].commandLists[${index}]`, scopes, problems));
}

function checkScopes(value: unknown, path: string, problems: string[]): Set<string> {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${path}: missing (one or more of personal, team, groupChat)`);
    return new Set();
  }
  const found = new Set<string>();
  for (const scope of value) {
    if (typeof scope !== 'string' || !BOT_SCOPES.has(scope)) {
      problems.push(`${path}: unknown scope ${show(scope)} (allowed: ${[...BOT_SCOPES].join(', ')})`);
    } else {
      found.add(scope);
    }
  }
  return found;
}

function checkCommandList(list: unknown, path: string, botScopes: Set<string>, problems: string[]): void {
  if (!isObject(list)) {
    problems.push(`${path}: must be an object with scopes and commands`);
    return;
  }
  for (const scope of checkScopes(list.scopes, `${path}.scopes`, problems)) {
    if (!botScopes.has(scope)) problems.push(`${path}.scopes: "${scope}" is not one of the bot's scopes`);
  }
  if (!Array.isArray(list.commands) || list.commands.length === 0) {
    problems.push(`${path}.commands: missing (at least one command)`);
    return;
  }
  if (list.commands.length > MAX_COMMANDS) {
    problems.push(`${path}.commands: at most ${MAX_COMMANDS} commands per list, found ${list.commands.length}`);
  }
  const titles = new Set<string>();
  list.commands.forEach((command, index) => {
    const where = `${path}.commands[${index}]`;
    if (!isObject(command)) {
      problems.push(`${where}: must be an object with title and description`);
      return;
    }
    checkText(command.title, `${where}.title`, 32, problems);
    checkText(command.description, `${where}.description`, 128, problems);
    if (typeof command.title === 'string') {
      if (titles.has(command.title)) problems.push(`${where}.title: "${command.title}" appears twice in this list`);
      titles.add(command.title);
    }
  });
}

function checkValidDomains(domains: unknown, problems: string[]): void {
  if (domains === undefined) return;
  if (!Array.isArray(domains)) {
    problems.push('validDomains: must be a list of host names');
    return;
  }
  domains.forEach((domain, index) => {
    const path = `validDomains[${index}]`;
    if (typeof domain !== 'string' || domain.trim() === '') {
      problems.push(`${path}: must be a host name, got ${show(domain)}`);
    } else if (domain.includes('://')) {
      problems.push(`${path}: must be a host name without scheme (no https://), got ${show(domain)}`);
    } else if (/[\s/?#]/.test(domain)) {
      problems.push(`${path}: must be a host name without path, query or spaces, got ${show(domain)}`);
    }
  });
}

function checkNoPlaceholders(node: unknown, path: string, problems: string[]): void {
  if (typeof node === 'string') {
    const left = node.match(/\$\{\{[A-Z0-9_]+\}\}/);
    if (left) problems.push(`${path || 'manifest'}: placeholder ${left[0]} was not filled`);
  } else if (Array.isArray(node)) {
    node.forEach((item, index) => checkNoPlaceholders(item, `${path}[${index}]`, problems));
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) checkNoPlaceholders(value, path ? `${path}.${key}` : key, problems);
  }
}

function checkText(value: unknown, path: string, maxLength: number, problems: string[]): void {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${path}: missing`);
  } else if (value.length > maxLength) {
    problems.push(`${path}: at most ${maxLength} characters, has ${value.length}`);
  }
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
