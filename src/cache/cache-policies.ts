import type { CachePolicy } from './lookup-cache';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/**
 * How long each kind of look-up is trusted (README "Configuration", caches).
 * Short where a change must take effect soon: a removed role member keeps the
 * role for at most `roleMembership.ttlMs`. Refusals (not found, not a member,
 * not audited) are kept shorter than grants, so fixing them takes effect sooner.
 */
export interface CachePolicies {
  /** Users by Entra object ID (names, UPN). */
  users: CachePolicy;
  /** Users by UPN or address, with whether Exchange has a mailbox for them. */
  mailboxOwners: CachePolicy;
  managers: CachePolicy;
  /** Transitive group membership behind a role. */
  roleMembership: CachePolicy;
  /** Whether Exchange audits a mailbox (organization setting and audit bypass). */
  mailboxAudit: CachePolicy;
  /** Stored Bot Framework conversation references (several instances may register them). */
  conversations: CachePolicy;
}

export const DEFAULT_CACHE_POLICIES: CachePolicies = {
  users: { max: 5_000, ttlMs: 10 * MINUTE, refusalTtlMs: MINUTE },
  mailboxOwners: { max: 5_000, ttlMs: 5 * MINUTE, refusalTtlMs: MINUTE },
  managers: { max: 5_000, ttlMs: 10 * MINUTE, refusalTtlMs: MINUTE },
  roleMembership: { max: 2_000, ttlMs: MINUTE, refusalTtlMs: 30 * SECOND },
  mailboxAudit: { max: 5_000, ttlMs: 5 * MINUTE, refusalTtlMs: MINUTE },
  conversations: { max: 5_000, ttlMs: 5 * MINUTE, refusalTtlMs: 10 * SECOND },
};
