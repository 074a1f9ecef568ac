import type { OptionalSodPart } from './separation-of-duties';
import type { AccessLevel, StepKind } from './types';

/** Who holds a role: explicit Entra object IDs and/or a group resolved through the directory. */
export interface RoleDefinition {
  name: string;
  description?: string;
  members: string[];
  groupId?: string;
}

export interface LegalBasis {
  id: string;
  label: string;
}

export interface ApprovalRequirement {
  role: string;
  count: number;
  /** Steps (ids) that must be recorded before this role may approve; otherwise approvals and steps land in any order. */
  afterSteps?: string[];
}

export interface StepDefinition {
  id: string;
  kind: StepKind;
  label: string;
  /** notify: 'hr' | 'dpo' | 'employee' | 'security' | an e-mail address. attest: the role that attests. */
  target?: string;
  /** notify steps for the employee may be withheld with a stated reason (then the after-access notice is mandatory). */
  withholdable?: boolean;
}

export interface JurisdictionPolicy {
  code: string;
  name: string;
  accessLevels: AccessLevel[];
  minDurationMinutes: number;
  maxDurationMinutes: number;
  defaultDurationMinutes: number;
  /** Regular expression (anchored by the validator) for ticket IDs. */
  ticketPattern: string;
  ticketExample: string;
  pendingTtlMinutes: number;
  /** Minutes before the pending TTL ends when approvers get one reminder; 0 = none. */
  reminderBeforeMinutes: number;
  /** When non-empty, the requester must choose one. */
  legalBases: LegalBasis[];
  approvals: ApprovalRequirement[];
  steps: StepDefinition[];
  /** Whether the mailbox owner gets an after-access notice when the grant ends. */
  afterAccessNotice: boolean;
  /** Refuse (true) or only warn (false) when mailbox auditing is disabled. */
  requireMailboxAudit: boolean;
  /** Extra approvals required when the mailbox owner is the requester's manager or direct report. */
  conflictOfInterestApprovals: number;
  extensions: ExtensionPolicy;
}

/** More time on an active grant: whether allowed, the longest total grant, and who approves (default: the request's approvals). */
export interface ExtensionPolicy {
  allowed: boolean;
  maxTotalMinutes: number;
  approvals?: ApprovalRequirement[];
}

export interface PolicySet {
  /** Where it was loaded from, for messages. */
  source: string;
  roles: Record<string, RoleDefinition>;
  jurisdictions: Record<string, JurisdictionPolicy>;
  /** Code of a permissive pack applied to codes not listed, if configured. */
  fallback?: string;
  /** Parts that may never judge a matter besides the fixed ones (domain/separation-of-duties.ts). */
  separationOfDuties?: { alsoRefuse: OptionalSodPart[] };
}

/** Role names with special meaning to the bot itself. */
export const ROLE_ADMIN = 'admin';
export const ROLE_SECURITY = 'security';

export function jurisdictionCodes(policies: PolicySet): string[] {
  return Object.keys(policies.jurisdictions).sort();
}

/** The pack for a code, honouring a configured fallback; undefined when unknown. */
export function policyFor(policies: PolicySet, code: string): JurisdictionPolicy | undefined {
  const upper = code.trim().toUpperCase();
  const direct = policies.jurisdictions[upper];
  if (direct) return direct;
  if (policies.fallback && /^[A-Z]{2}$/.test(upper)) {
    const fallback = policies.jurisdictions[policies.fallback];
    if (fallback) return { ...fallback, code: upper, name: `${upper} (${fallback.name})` };
  }
  return undefined;
}

/** Tickets must match the whole pattern (the policy loader checks examples the same way). */
export function ticketMatches(policy: JurisdictionPolicy, ticket: string): boolean {
  return new RegExp(`^(?:${policy.ticketPattern})$`).test(ticket);
}
