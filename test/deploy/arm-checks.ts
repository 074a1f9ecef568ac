import { calls, Evaluator, isExpression, parseExpression, strings, type Template } from './arm-expression';

// Offline checks for our ARM templates. Each returns a list of problems
// (empty = fine) so a test can show all of them at once, and so a
// deliberately broken copy can prove the check fails.

/** Parameters whose values are credentials, by name. */
const SECRET_NAME = /(password|secret|connectionstring|mongodburi|apikey|accesskey)$/i;

/** App settings that must never hold a plain value. */
export const SECRET_APP_SETTINGS = ['MICROSOFT_APP_PASSWORD', 'M365_CLIENT_SECRET', 'MONGODB_URI'] as const;

const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(SecretUri=https:\/\/([a-z0-9-]+)\.vault\.azure\.net\/secrets\/([A-Za-z0-9-]+)\/?\)$/i;

/** Every parameters('x') / variables('x') in any expression, with where it was found. */
interface Use {
  fn: 'parameters' | 'variables';
  name: string;
  path: string;
  /** Only tested for emptiness, e.g. empty(parameters('x')): the value itself goes nowhere. */
  onlyTested: boolean;
}

function references(template: Template): { problems: string[]; uses: Use[] } {
  const problems: string[] = [];
  const uses: Use[] = [];
  for (const { path, text } of strings(template)) {
    if (!isExpression(text)) continue;
    let ast;
    try {
      ast = parseExpression(text);
    } catch (error) {
      problems.push(`${path}: expression does not parse: ${(error as Error).message}`);
      continue;
    }
    const tested = new Set(
      calls(ast)
        .filter((c) => c.name.toLowerCase() === 'empty')
        .map((c) => c.args[0])
        .filter((arg) => arg !== undefined),
    );
    for (const call of calls(ast)) {
      const fn = call.name.toLowerCase();
      if (fn !== 'parameters' && fn !== 'variables') continue;
      const arg = call.args[0];
      if (call.args.length !== 1 || arg?.kind !== 'string') {
        problems.push(`${path}: ${call.name}() must be called with one literal name`);
        continue;
      }
      uses.push({ fn, name: arg.value, path, onlyTested: tested.has(call) });
    }
  }
  return { problems, uses };
}

/** Template shape, expression syntax, and every parameters()/variables() reference is declared. */
export function checkReferencesDeclared(template: Template): string[] {
  const problems: string[] = [];
  if (typeof template.$schema !== 'string' || !/deploymentTemplate\.json#?$/.test(template.$schema)) {
    problems.push('$schema: must be an ARM deployment template schema');
  }
  if (!Array.isArray(template.resources)) problems.push('resources: must be a list');
  const found = references(template);
  problems.push(...found.problems);
  for (const use of found.uses) {
    const declared = use.fn === 'parameters' ? template.parameters : template.variables;
    if (!declared || !(use.name in declared)) {
      problems.push(`${use.path}: ${use.fn}('${use.name}') is not declared`);
    }
  }
  return problems;
}

/** Every declared parameter (and variable) is used somewhere else in the template. */
export function checkDeclarationsUsed(template: Template): string[] {
  const { uses } = references(template);
  const problems: string[] = [];
  for (const name of Object.keys(template.parameters ?? {})) {
    if (!uses.some((u) => u.fn === 'parameters' && u.name === name && !u.path.startsWith(`$.parameters.${name}.`))) {
      problems.push(`parameters.${name}: declared but never used`);
    }
  }
  for (const name of Object.keys(template.variables ?? {})) {
    if (!uses.some((u) => u.fn === 'variables' && u.name === name && !u.path.startsWith(`$.variables.${name}`))) {
      problems.push(`variables.${name}: declared but never used`);
    }
  }
  return problems;
}

/** Every dependsOn entry (resourceId(...) form or a plain name) names a resource in the template. */
export function checkDependsOn(template: Template, values: Record<string, unknown>): string[] {
  const evaluator = new Evaluator(template, values);
  const problems: string[] = [];
  const resources = template.resources ?? [];
  const ids = new Map<string, number>();
  const names = new Map<string, number>();
  resources.forEach((resource, index) => {
    try {
      ids.set(evaluator.resourceIdOf(resource).toLowerCase(), index);
      const name = String(evaluator.value(resource.name));
      names.set(name.toLowerCase(), index);
      names.set(name.split('/').pop()!.toLowerCase(), index);
    } catch (error) {
      problems.push(`resources[${index}] (${resource.type}): name cannot be evaluated: ${(error as Error).message}`);
    }
  });
  resources.forEach((resource, index) => {
    const dependsOn = resource.dependsOn ?? [];
    if (!Array.isArray(dependsOn)) {
      problems.push(`resources[${index}].dependsOn: must be a list`);
      return;
    }
    dependsOn.forEach((entry: unknown, j: number) => {
      const where = `resources[${index}] (${resource.type}).dependsOn[${j}]`;
      if (typeof entry !== 'string') {
        problems.push(`${where}: must be a string`);
        return;
      }
      let target: string;
      try {
        target = String(evaluator.value(entry)).toLowerCase();
      } catch (error) {
        problems.push(`${where}: cannot be evaluated: ${(error as Error).message}`);
        return;
      }
      const hit = target.startsWith('/') ? ids.get(target) : names.get(target);
      if (hit === undefined) problems.push(`${where}: ${entry} names no resource in this template`);
      else if (hit === index) problems.push(`${where}: a resource cannot depend on itself`);
    });
  });
  return problems;
}

/**
 * Secrets only travel as securestring parameters (never with a real default,
 * never echoed by an output) and land in Key Vault secrets.
 */
export function checkSecretsHandling(template: Template): string[] {
  const problems: string[] = [];
  const secure = new Set<string>();
  for (const [name, parameter] of Object.entries(template.parameters ?? {})) {
    const isSecure = parameter.type.toLowerCase() === 'securestring' || parameter.type.toLowerCase() === 'secureobject';
    if (isSecure) secure.add(name);
    if (SECRET_NAME.test(name) && !isSecure) {
      problems.push(`parameters.${name}: holds a secret, so its type must be securestring`);
    }
    if (isSecure && 'defaultValue' in parameter && parameter.defaultValue !== '') {
      problems.push(`parameters.${name}: a secret must not have a defaultValue (only "" for "not used")`);
    }
  }
  const { uses } = references(template);
  for (const use of uses) {
    if (use.fn !== 'parameters' || !secure.has(use.name) || use.onlyTested) continue;
    if (use.path.startsWith('$.outputs.')) problems.push(`${use.path}: outputs must not expose the secret parameter ${use.name}`);
    if (/appSettings|\.tags/i.test(use.path))
      problems.push(`${use.path}: the secret parameter ${use.name} must go to Key Vault, not into settings or tags`);
  }
  // A secure parameter may only feed Key Vault secrets or the database it creates.
  for (const use of uses) {
    if (use.fn !== 'parameters' || !secure.has(use.name)) continue;
    const match = /^\$\.resources\[(\d+)\]/.exec(use.path);
    if (!match) continue;
    const type = String(template.resources?.[Number(match[1])]?.type ?? '');
    if (type !== 'Microsoft.KeyVault/vaults/secrets' && type !== 'Microsoft.DocumentDB/mongoClusters') {
      problems.push(`${use.path}: secret parameter ${use.name} is used by ${type}; only Key Vault secrets may hold it`);
    }
  }
  for (const [name, output] of Object.entries(template.outputs ?? {})) {
    if (/^secure/i.test(output.type)) problems.push(`outputs.${name}: must not output a secure value`);
  }
  for (const use of uses) {
    if (use.fn !== 'parameters' || !secure.has(use.name) || use.onlyTested) continue;
    const variable = /^\$\.variables\.([A-Za-z0-9_]+)/.exec(use.path)?.[1];
    if (variable) problems.push(`variables.${variable}: copies the secret parameter ${use.name} into a variable`);
  }
  return problems;
}

/** The web app's settings as name -> value, evaluated for the given parameters. */
export function appSettingsOf(template: Template, values: Record<string, unknown>): Map<string, string> {
  const site = (template.resources ?? []).find((r) => r.type === 'Microsoft.Web/sites');
  if (!site) throw new Error('no Microsoft.Web/sites resource');
  const evaluator = new Evaluator(template, values);
  const settings = evaluator.value(site.properties?.siteConfig?.appSettings ?? []) as Array<{ name: string; value: unknown }>;
  return new Map(settings.map((s) => [s.name, String(s.value)]));
}

/**
 * The secret app settings are Key Vault references to a secret that this
 * template creates in its own vault.
 */
export function checkSecretAppSettings(template: Template, values: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const evaluator = new Evaluator(template, values);
  const vault = (template.resources ?? []).find((r) => r.type === 'Microsoft.KeyVault/vaults');
  const vaultName = vault ? String(evaluator.value(vault.name)) : undefined;
  const secretNames = new Set(
    (template.resources ?? [])
      .filter((r) => r.type === 'Microsoft.KeyVault/vaults/secrets')
      .filter((r) => r.condition === undefined || evaluator.value(r.condition) === true)
      .map((r) => String(evaluator.value(r.name))),
  );
  const settings = appSettingsOf(template, values);
  for (const name of SECRET_APP_SETTINGS) {
    const value = settings.get(name);
    if (value === undefined) continue;
    const match = KEY_VAULT_REFERENCE.exec(value);
    if (!match) {
      problems.push(`app setting ${name}: must be a Key Vault reference (@Microsoft.KeyVault(SecretUri=...)), not a plain value`);
      continue;
    }
    if (match[1] !== vaultName) problems.push(`app setting ${name}: refers to vault ${match[1]}, not this template's vault ${vaultName}`);
    if (!secretNames.has(`${match[1]}/${match[2]}`)) {
      problems.push(`app setting ${name}: refers to secret ${match[2]}, which this deployment does not create`);
    }
  }
  for (const [name, value] of settings) {
    for (const [param, given] of Object.entries(values)) {
      const declared = template.parameters?.[param];
      if (declared?.type.toLowerCase() === 'securestring' && typeof given === 'string' && given.length >= 6 && value.includes(given)) {
        problems.push(`app setting ${name}: contains the value of secret parameter ${param}`);
      }
    }
  }
  return problems;
}

/** The outputs the runbook reads exist. */
export function checkOutputs(template: Template, required: readonly string[]): string[] {
  const outputs = template.outputs ?? {};
  return required.filter((name) => !(name in outputs)).map((name) => `outputs.${name}: missing (the runbook uses it)`);
}
