import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Template } from './arm-expression';

// The deployment files under deploy/ and parameter sets shaped like the
// runbook's, for the template checks.

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DEPLOY_DIR = path.join(REPO_ROOT, 'deploy');
export const AZURE_DIR = path.join(DEPLOY_DIR, 'azure');

/** Every ARM template under deploy/azure (parameter files excluded). */
export function templateFiles(): string[] {
  return readdirSync(AZURE_DIR)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.parameters.json'))
    .map((name) => path.join(AZURE_DIR, name));
}

export function loadTemplate(file = path.join(AZURE_DIR, 'main.json')): Template {
  return JSON.parse(readFileSync(file, 'utf8')) as Template;
}

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Container image, client secret, new vCore cluster. */
export const CONTAINER_WITH_SECRET = {
  microsoftAppId: '0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f',
  microsoftAppPassword: 'bot-secret-value-123',
  m365ServiceMailbox: 'custodian@contoso.example',
  mongoAdminPassword: 'mongo-admin-pass-456',
  containerImage: 'contosoregistry.azurecr.io/custodian:1.0.0',
};

/** Node on App Service, certificate for Graph/Exchange, existing MongoDB. */
export const CODE_WITH_CERTIFICATE = {
  microsoftAppId: '0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f',
  microsoftAppPassword: 'bot-secret-value-123',
  m365ServiceMailbox: 'custodian@contoso.example',
  deploymentKind: 'code',
  m365CertificateThumbprint: '0123456789ABCDEF0123456789ABCDEF01234567',
  existingMongoDbUri: 'mongodb://custodian:db-pass-789@mongo.contoso.example:27017/?tls=true',
};

export const PARAMETER_SETS: Record<string, Record<string, unknown>> = {
  'container, client secret, new cluster': CONTAINER_WITH_SECRET,
  'code, certificate, existing MongoDB': CODE_WITH_CERTIFICATE,
};
