import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  checkDeclarationsUsed,
  checkDependsOn,
  checkOutputs,
  checkReferencesDeclared,
  checkSecretAppSettings,
  checkSecretsHandling,
} from './arm-checks';
import type { Template } from './arm-expression';
import { clone, CONTAINER_WITH_SECRET, DEPLOY_DIR, loadTemplate, PARAMETER_SETS, templateFiles } from './fixtures';

/** Outputs named in the runbook as `outputs.<name>`, plus the ones every deployment needs. */
function outputsUsedByRunbook(): string[] {
  const runbook = readFileSync(path.join(DEPLOY_DIR, 'README.md'), 'utf8');
  const named = [...runbook.matchAll(/outputs\.([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  return [...new Set(['messagingEndpoint', 'botId', 'keyVaultName', 'appDomain', ...named])];
}

function assertNoProblems(problems: string[]): void {
  assert.deepEqual(problems, [], problems.join('\n'));
}

function assertProblem(problems: string[], pattern: RegExp): void {
  assert.ok(
    problems.some((p) => pattern.test(p)),
    `expected a problem matching ${pattern}, got:\n${problems.join('\n') || '(none)'}`,
  );
}

describe('deploy/azure ARM templates', () => {
  const files = templateFiles();

  it('there is at least the main template', () => {
    assert.ok(
      files.some((f) => f.endsWith('main.json')),
      files.join(', '),
    );
  });

  for (const file of files) {
    describe(path.basename(file), () => {
      let template: Template;
      before(() => {
        template = loadTemplate(file);
      });

      it('parses, and every parameters()/variables() reference is declared', () => {
        assertNoProblems(checkReferencesDeclared(template));
      });

      it('uses every parameter and variable it declares', () => {
        assertNoProblems(checkDeclarationsUsed(template));
      });

      for (const [label, values] of Object.entries(PARAMETER_SETS)) {
        it(`dependsOn names only resources of this template (${label})`, () => {
          assertNoProblems(checkDependsOn(template, values));
        });

        it(`puts the secret app settings behind Key Vault references (${label})`, () => {
          assertNoProblems(checkSecretAppSettings(template, values));
        });
      }

      it('keeps secrets in securestring parameters without defaults and out of outputs', () => {
        assertNoProblems(checkSecretsHandling(template));
      });

      it('has the outputs the runbook uses', () => {
        assertNoProblems(checkOutputs(template, outputsUsedByRunbook()));
      });
    });
  }
});

// Each check must be able to fail: feed it a deliberately broken copy.
describe('ARM template checks catch broken templates', () => {
  const good = loadTemplate();

  it('a file that is not a template', () => {
    assertProblem(checkReferencesDeclared({ resources: 'none' } as unknown as Template), /\$schema: must be an ARM/);
    assertProblem(checkReferencesDeclared({ resources: 'none' } as unknown as Template), /resources: must be a list/);
  });

  it('an expression that does not parse', () => {
    const broken = clone(good);
    broken.outputs!.botId!.value = "[parameters('microsoftAppId'))]";
    assertProblem(checkReferencesDeclared(broken), /outputs\.botId\.value: expression does not parse/);
  });

  it('an undeclared parameter nested deep inside an expression', () => {
    const broken = clone(good);
    broken.outputs!.appDomain!.value = "[toLower(format('{0}.{1}', parameters('webAppName'), if(true(), parameters('dnsZone'), 'x')))]";
    assertProblem(checkReferencesDeclared(broken), /outputs\.appDomain\.value: parameters\('dnsZone'\) is not declared/);
  });

  it('an undeclared variable used in an object key', () => {
    const broken = clone(good);
    const site = broken.resources!.find((r) => r.type === 'Microsoft.Web/sites')!;
    site.identity.userAssignedIdentities = { "[variables('identityId')]": {} };
    assertProblem(checkReferencesDeclared(broken), /\{key \[variables\('identityId'\)\]\}: variables\('identityId'\) is not declared/);
  });

  it('a parameter or variable that nothing uses', () => {
    const broken = clone(good);
    broken.parameters!.unusedSku = { type: 'string', defaultValue: 'S1' };
    broken.variables!.unusedName = 'x';
    const problems = checkDeclarationsUsed(broken);
    assertProblem(problems, /parameters\.unusedSku: declared but never used/);
    assertProblem(problems, /variables\.unusedName: declared but never used/);
  });

  it('a parameter only used in its own default does not count as used', () => {
    const broken = clone(good);
    broken.parameters!.selfish = { type: 'string', defaultValue: "[parameters('selfish')]" };
    assertProblem(checkDeclarationsUsed(broken), /parameters\.selfish: declared but never used/);
  });

  it('dependsOn a resource that is not in the template (resourceId form)', () => {
    const broken = clone(good);
    const site = broken.resources!.find((r) => r.type === 'Microsoft.Web/sites')!;
    site.dependsOn.push("[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]");
    assertProblem(checkDependsOn(broken, CONTAINER_WITH_SECRET), /Microsoft\.Network\/virtualNetworks.*names no resource/);
  });

  it('dependsOn a resource of the right type but another name', () => {
    const broken = clone(good);
    const site = broken.resources!.find((r) => r.type === 'Microsoft.Web/sites')!;
    site.dependsOn.push("[resourceId('Microsoft.Web/serverfarms', 'another-plan')]");
    assertProblem(checkDependsOn(broken, CONTAINER_WITH_SECRET), /another-plan'\)\] names no resource/);
  });

  it('dependsOn a plain name that no resource has', () => {
    const broken = clone(good);
    broken.resources![0]!.dependsOn = ['missing-thing'];
    assertProblem(checkDependsOn(broken, CONTAINER_WITH_SECRET), /missing-thing names no resource/);
  });

  it('a secret parameter that is a plain string, or has a default', () => {
    const broken = clone(good);
    broken.parameters!.microsoftAppPassword = { type: 'string' };
    broken.parameters!.m365ClientSecret = { type: 'securestring', defaultValue: 'changeme' };
    const problems = checkSecretsHandling(broken);
    assertProblem(problems, /parameters\.microsoftAppPassword: holds a secret/);
    assertProblem(problems, /parameters\.m365ClientSecret: a secret must not have a defaultValue/);
  });

  it('a secret parameter echoed by an output', () => {
    const broken = clone(good);
    broken.outputs!.leak = { type: 'string', value: "[parameters('mongoAdminPassword')]" };
    assertProblem(checkSecretsHandling(broken), /outputs must not expose the secret parameter mongoAdminPassword/);
  });

  it('a secret parameter copied into a variable or handed to another resource', () => {
    const broken = clone(good);
    broken.variables!.copied = "[parameters('microsoftAppPassword')]";
    const bot = broken.resources!.find((r) => r.type === 'Microsoft.BotService/botServices')!;
    bot.properties.msaAppPassword = "[parameters('microsoftAppPassword')]";
    const problems = checkSecretsHandling(broken);
    assertProblem(problems, /variables\.copied: copies the secret parameter microsoftAppPassword/);
    assertProblem(problems, /used by Microsoft\.BotService\/botServices; only Key Vault secrets may hold it/);
  });

  for (const setting of ['MICROSOFT_APP_PASSWORD', 'MONGODB_URI', 'M365_CLIENT_SECRET']) {
    it(`${setting} as a plain value instead of a Key Vault reference`, () => {
      const broken = clone(good);
      const list = setting === 'M365_CLIENT_SECRET' ? 'secretCredentialSettings' : 'baseAppSettings';
      const settings = broken.variables![list] as Array<{ name: string; value: string }>;
      settings.find((s) => s.name === setting)!.value = 'plain-text-value';
      assertProblem(
        checkSecretAppSettings(broken, CONTAINER_WITH_SECRET),
        new RegExp(`app setting ${setting}: must be a Key Vault reference`),
      );
    });
  }

  it('a Key Vault reference to a secret the deployment does not create', () => {
    const broken = clone(good);
    (broken.variables!.secretNames as Record<string, string>).mongoDbUri = 'mongo-connection';
    const secret = broken.resources!.find((r) => String(r.name).includes("secretNames').mongoDbUri"))!;
    secret.name = "[format('{0}/{1}', parameters('keyVaultName'), 'mongodb-uri')]";
    assertProblem(
      checkSecretAppSettings(broken, CONTAINER_WITH_SECRET),
      /app setting MONGODB_URI: refers to secret mongo-connection, which this deployment does not create/,
    );
  });

  it('a secret value pasted into an app setting', () => {
    const broken = clone(good);
    (broken.variables!.baseAppSettings as Array<{ name: string; value: string }>).push({
      name: 'DEBUG_TOKEN',
      value: 'bot-secret-value-123',
    });
    assertProblem(
      checkSecretAppSettings(broken, CONTAINER_WITH_SECRET),
      /app setting DEBUG_TOKEN: contains the value of secret parameter microsoftAppPassword/,
    );
  });

  it('an output the runbook needs is missing', () => {
    const broken = clone(good);
    delete broken.outputs!.keyVaultName;
    assertProblem(checkOutputs(broken, outputsUsedByRunbook()), /outputs\.keyVaultName: missing/);
  });
});
