// A local Microsoft 365 tenant that speaks the real wire formats: the Entra
// token endpoint, Microsoft Graph v1.0 and the Exchange Online Admin API.
export { startLocalTenant, type LocalTenant, type LocalTenantOptions } from './server';
export { Faults, type FaultKind, type FaultRule } from './faults';
export { TenantState, type MailboxState, type SentMail, type TenantUser, type AuditRecord, type PermissionView } from './state';
export { loadFixture, defaultFixture, DEFAULT_FIXTURE_PATH, type Fixture, type FixtureInput } from './fixture';
export { REALISTIC, POLITE, realism, type Realism } from './realism';
export { parseLatencyProfile, REAL_LATENCY, NO_LATENCY, type LatencyProfile } from './latency';
export { latencyFromEnv } from './server';
