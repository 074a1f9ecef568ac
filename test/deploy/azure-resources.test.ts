import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appSettingsOf } from './arm-checks';
import { heapFlags } from './dockerfile-checks';
import { Evaluator, type Template } from './arm-expression';
import { CODE_WITH_CERTIFICATE, CONTAINER_WITH_SECRET, loadTemplate, REPO_ROOT } from './fixtures';

// What the deployment must be, resource by resource, evaluated for the two
// parameter sets the runbook describes.

const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

/** Environment variables the app reads in production (secret or certificate variant added below). */
const APP_ENVIRONMENT = [
  'MICROSOFT_APP_ID',
  'MICROSOFT_APP_PASSWORD',
  'MICROSOFT_APP_TENANT_ID',
  'MICROSOFT_APP_TYPE',
  'M365_TENANT_ID',
  'M365_CLIENT_ID',
  'M365_SERVICE_MAILBOX',
  'MONGODB_URI',
  'MONGODB_DB',
  'CUSTODIAN_POLICY_FILE',
  'CUSTODIAN_MODE',
  'PORT',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'LOG_LEVEL',
];

function only(template: Template, type: string): Record<string, any> {
  const found = (template.resources ?? []).filter((r) => r.type === type);
  assert.equal(found.length, 1, `expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

describe('deploy/azure/main.json resources', () => {
  const template = loadTemplate();
  const evaluate = (node: unknown, values: Record<string, unknown> = CONTAINER_WITH_SECRET): any =>
    new Evaluator(template, values).value(node);

  it('registers a single-tenant Azure Bot pointing at the web app', () => {
    const bot = only(template, 'Microsoft.BotService/botServices');
    const props = evaluate(bot.properties);
    assert.equal(props.msaAppType, 'SingleTenant');
    assert.equal(props.msaAppId, CONTAINER_WITH_SECRET.microsoftAppId);
    assert.match(props.msaAppTenantId, /^[0-9a-f-]{36}$/);
    const outputs = evaluate(template.outputs);
    assert.equal(props.endpoint, outputs.messagingEndpoint.value);
    assert.equal(outputs.messagingEndpoint.value, `https://${outputs.webAppName.value}.azurewebsites.net/api/messages`);
    assert.equal(outputs.appDomain.value, `${outputs.webAppName.value}.azurewebsites.net`);
  });

  it('enables the Microsoft Teams channel on that bot', () => {
    const channel = only(template, 'Microsoft.BotService/botServices/channels');
    const bot = only(template, 'Microsoft.BotService/botServices');
    assert.equal(evaluate(channel.name), `${evaluate(bot.name)}/MsTeamsChannel`);
    assert.equal(channel.properties.channelName, 'MsTeamsChannel');
    assert.equal(channel.properties.properties.isEnabled, true);
  });

  it('runs on a Linux plan with two instances by default', () => {
    const plan = only(template, 'Microsoft.Web/serverfarms');
    assert.equal(plan.kind, 'linux');
    assert.equal(plan.properties.reserved, true);
    assert.equal(evaluate(plan.sku.capacity), 2);
    assert.equal(evaluate(plan.sku.capacity, { ...CONTAINER_WITH_SECRET, instanceCount: 4 }), 4);
  });

  it('runs Node 20 for code deployments and the given image for containers', () => {
    const site = only(template, 'Microsoft.Web/sites');
    const code = evaluate(site.properties.siteConfig, CODE_WITH_CERTIFICATE);
    assert.equal(code.linuxFxVersion, 'NODE|20-lts');
    assert.equal(code.appCommandLine, 'node dist/main.js');
    const container = evaluate(site.properties.siteConfig);
    assert.equal(container.linuxFxVersion, `DOCKER|${CONTAINER_WITH_SECRET.containerImage}`);
    assert.equal(container.acrUseManagedIdentityCreds, true);
  });

  it('probes /readyz, stays on, and serves HTTPS only', () => {
    const site = only(template, 'Microsoft.Web/sites');
    const config = evaluate(site.properties.siteConfig);
    assert.equal(config.healthCheckPath, '/readyz');
    assert.equal(config.alwaysOn, true);
    assert.equal(config.ftpsState, 'Disabled');
    assert.equal(site.properties.httpsOnly, true);
  });

  it('sets every environment variable the app reads, with production values', () => {
    const secretMode = appSettingsOf(template, CONTAINER_WITH_SECRET);
    for (const name of [...APP_ENVIRONMENT, 'M365_CLIENT_SECRET']) assert.ok(secretMode.has(name), `missing ${name}`);
    assert.equal(secretMode.has('M365_CERTIFICATE_PATH'), false);
    assert.equal(secretMode.get('MICROSOFT_APP_TYPE'), 'SingleTenant');
    assert.equal(secretMode.get('CUSTODIAN_MODE'), 'production');
    assert.equal(secretMode.get('PORT'), '3978');
    // Code and container deployments run with the heap limits npm run serve uses.
    const serve = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.serve;
    assert.deepEqual(heapFlags(secretMode.get('NODE_OPTIONS') ?? ''), heapFlags(serve));
    assert.ok(heapFlags(serve).length > 0, 'npm run serve sets heap flags');

    const certificateMode = appSettingsOf(template, CODE_WITH_CERTIFICATE);
    for (const name of [...APP_ENVIRONMENT, 'M365_CERTIFICATE_PATH']) assert.ok(certificateMode.has(name), `missing ${name}`);
    assert.equal(certificateMode.has('M365_CLIENT_SECRET'), false, 'no client secret when a certificate is used');
    assert.equal(certificateMode.get('NODE_OPTIONS'), secretMode.get('NODE_OPTIONS'));
    assert.equal(certificateMode.get('M365_CERTIFICATE_PATH'), `/var/ssl/private/${CODE_WITH_CERTIFICATE.m365CertificateThumbprint}.p12`);
  });

  it('creates the vCore MongoDB cluster only when no existing connection string is given', () => {
    const cluster = only(template, 'Microsoft.DocumentDB/mongoClusters');
    assert.equal(evaluate(cluster.condition), true);
    assert.equal(evaluate(cluster.condition, CODE_WITH_CERTIFICATE), false);
    const uriSecret = (template.resources ?? []).find((r) => String(evaluate(r.name)).endsWith('/mongodb-uri'))!;
    assert.equal(evaluate(uriSecret.properties.value, CODE_WITH_CERTIFICATE), CODE_WITH_CERTIFICATE.existingMongoDbUri);
    assert.match(String(evaluate(uriSecret.properties.value)), /mongoClusters\/.*connectionString/);
  });

  it('keeps secrets in an RBAC Key Vault with purge protection', () => {
    const vault = only(template, 'Microsoft.KeyVault/vaults');
    assert.equal(vault.properties.enableRbacAuthorization, true);
    assert.equal(vault.properties.enablePurgeProtection, true);
  });

  it("gives the app's identity only Key Vault Secrets User, on that vault", () => {
    const assignments = (template.resources ?? []).filter((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    assert.equal(assignments.length, 1, 'exactly one role assignment');
    const assignment = evaluate(assignments[0]);
    assert.match(assignment.properties.roleDefinitionId, new RegExp(`/roleDefinitions/${KEY_VAULT_SECRETS_USER}$`));
    assert.equal(assignment.scope, `Microsoft.KeyVault/vaults/${evaluate(only(template, 'Microsoft.KeyVault/vaults').name)}`);
    const identityName = evaluate(only(template, 'Microsoft.ManagedIdentity/userAssignedIdentities').name);
    assert.match(assignment.properties.principalId, new RegExp(`userAssignedIdentities/${identityName}>\\.principalId$`));

    const site = evaluate(only(template, 'Microsoft.Web/sites'));
    const identities = Object.keys(site.identity.userAssignedIdentities);
    assert.deepEqual(
      identities.map((id) => id.split('/').pop()),
      [identityName],
    );
    assert.equal(site.properties.keyVaultReferenceIdentity, identities[0]);
  });

  it('sends telemetry to Application Insights backed by Log Analytics', () => {
    const insights = evaluate(only(template, 'Microsoft.Insights/components'));
    const workspace = evaluate(only(template, 'Microsoft.OperationalInsights/workspaces'));
    assert.ok(insights.properties.WorkspaceResourceId.endsWith(`/workspaces/${workspace.name}`));
    assert.match(
      appSettingsOf(template, CONTAINER_WITH_SECRET).get('APPLICATIONINSIGHTS_CONNECTION_STRING')!,
      new RegExp(`components/${insights.name}>\\.ConnectionString$`),
    );
  });
});
