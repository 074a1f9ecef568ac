import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

// The seed of a local tenant: users, groups, standing permissions, audit
// records. Validated so that a typo in a test fixture fails loudly.

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const address = z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'must be an e-mail address');

const userSchema = z.object({
  id: guid,
  displayName: z.string().min(1),
  userPrincipalName: address,
  mail: address.optional(),
  jobTitle: z.string().optional(),
  department: z.string().optional(),
  managerId: guid.optional(),
  /** False: an Entra user without an Exchange Online mailbox. */
  mailbox: z.boolean().default(true),
  mailboxType: z.enum(['UserMailbox', 'SharedMailbox']).default('UserMailbox'),
  /** The stored AuditEnabled property; with organization auditing on it does not decide (fact 6). */
  auditEnabled: z.boolean().default(true),
  /** Get-MailboxAuditBypassAssociation: a bypassed mailbox is not audited. */
  auditBypass: z.boolean().default(false),
  /** Language of the default folder names: en (Inbox), nb (Innboks), de (Posteingang). */
  language: z.enum(['en', 'nb', 'de']).default('en'),
});

const groupSchema = z.object({
  id: guid,
  displayName: z.string().min(1),
  /** User or group IDs (nested groups count for transitive membership). */
  members: z.array(guid).default([]),
});

const permissionSchema = z.object({
  mailbox: address,
  grantee: address,
  kind: z.enum(['FullAccess', 'SendAs', 'SendOnBehalf', 'Folder']),
  folder: z.string().optional(),
  role: z.string().optional(),
});

const auditRecordSchema = z.object({
  id: z.string().optional(),
  createdDateTime: z.string(),
  operation: z.string(),
  userPrincipalName: address,
  auditLogRecordType: z.string().default('exchangeItem'),
  mailboxOwnerUPN: address.optional(),
  objectId: z.string().optional(),
  auditData: z.record(z.string(), z.unknown()).optional(),
});

export const fixtureSchema = z.object({
  tenantId: guid,
  domain: z.string().min(3),
  app: z.object({
    clientId: guid,
    displayName: z.string().default('Custodian'),
    /** Fixed secret; a random one is made per run when absent. */
    clientSecret: z.string().min(8).optional(),
    /** PEM certificates accepted for certificate credentials. */
    certificates: z.array(z.string()).default([]),
    graphRoles: z.array(z.string()).default([]),
    exchangeRoles: z.array(z.string()).default([]),
    /** Whether the app holds an Exchange RBAC role (without one, cmdlets are unknown to it). */
    exchangeRoleAssigned: z.boolean().default(true),
    /** Cmdlets left out of the app's Exchange role: they answer 403 with a NUL-byte body. */
    forbiddenCmdlets: z.array(z.string()).default([]),
    /** The mailbox the application access policy scopes mail permissions to (default custodian@<domain>). */
    serviceMailbox: address.optional(),
  }),
  users: z.array(userSchema),
  groups: z.array(groupSchema).default([]),
  permissions: z.array(permissionSchema).default([]),
  auditRecords: z.array(auditRecordSchema).default([]),
  /** FullAccess holders that are not users (a role group, a deleted user's SID). */
  otherHolders: z.array(z.object({ mailbox: address, holder: z.string().min(1) })).default([]),
  /** Extra generated mailboxes (user0001@domain ...) for sweep tests. */
  extraMailboxes: z.number().int().min(0).max(100_000).default(0),
});

export type Fixture = z.infer<typeof fixtureSchema>;
export type FixtureInput = z.input<typeof fixtureSchema>;
export type FixtureUser = z.infer<typeof userSchema>;
export type FixturePermission = z.input<typeof permissionSchema>;
export type FixtureAuditRecord = z.input<typeof auditRecordSchema>;

export const DEFAULT_FIXTURE_PATH = join(__dirname, 'fixture.json');

/** Loads and validates a fixture from a path or an object; names the bad field. */
export function loadFixture(source: string | FixtureInput = DEFAULT_FIXTURE_PATH): Fixture {
  let raw: unknown = source;
  if (typeof source === 'string') {
    try {
      raw = JSON.parse(readFileSync(source, 'utf8'));
    } catch (err) {
      throw new Error(`Local tenant fixture ${source} cannot be read: ${(err as Error).message}`);
    }
  }
  const parsed = fixtureSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Local tenant fixture is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The default fixture with changes applied on top (tests tweak one field). */
export function defaultFixture(changes: Partial<FixtureInput> = {}): FixtureInput {
  const base = JSON.parse(readFileSync(DEFAULT_FIXTURE_PATH, 'utf8')) as FixtureInput;
  return { ...base, ...changes, app: { ...base.app, ...(changes.app ?? {}) } };
}
