import type { AccessLevel } from '../../domain/types';

// The figures of an audit report: plain JSON, the same in the HTML and the --format json output.

/** How long something took, in minutes, summarised and bucketed for a chart. */
export interface Distribution {
  count: number;
  /** null when count is 0. */
  medianMinutes: number | null;
  p90Minutes: number | null;
  maxMinutes: number | null;
  buckets: { label: string; count: number }[];
}

export interface CountRow {
  label: string;
  count: number;
}

export interface GrantFigures {
  /** Grants Exchange confirmed in the period. */
  total: number;
  /** Week (the Monday, UTC, as YYYY-MM-DD) × access level. */
  byWeekAndAccess: { week: string; access: AccessLevel | 'unknown'; count: number }[];
  byRequester: CountRow[];
  byWeekAndRequester: { week: string; requester: string; count: number }[];
  byJurisdiction: CountRow[];
}

export interface HighImpactFigures {
  grants: number;
  /** Grants with at least one of the reasons below. */
  highImpact: number;
  /** highImpact / grants, 0 when there were no grants. */
  share: number;
  fullAccess: number;
  strictJurisdiction: number;
  conflictOfInterest: number;
}

export interface TimingFigures {
  /** Submission to the final approval or the rejection, for requests decided in the period. */
  toDecision: Distribution;
  /** Submission to Exchange's confirmation, for grants confirmed in the period. */
  toGrant: Distribution;
}

export interface UsageRow {
  requestId: string;
  requestedMinutes: number;
  usedMinutes: number;
  reason: string;
}

export interface UsageFigures {
  /** Grants whose access ended (revocation confirmed) in the period. */
  ended: number;
  byReason: CountRow[];
  /** Released by the requester or ended by the security team before expiry. */
  endedEarly: number;
  /** Per reason: medians of the minutes requested and held. */
  heldByReason: { reason: string; grants: number; medianRequestedMinutes: number | null; medianUsedMinutes: number | null }[];
  /** Median of used / requested over the ended grants; null when none ended. */
  medianShareUsed: number | null;
  grants: UsageRow[];
}

export interface ManualActionCase {
  requestId: string;
  mailbox: string;
  raisedAt: number;
  attempts: number;
  /** When the removal was finally confirmed, if it was within the period. */
  confirmedAt: number | null;
}

export interface RevocationFigures {
  /** Expired grants whose removal was confirmed in the period. */
  expiredRevoked: number;
  /** From expiry to Exchange's confirmation. */
  lag: Distribution;
  failedAttempts: number;
  manualAction: ManualActionCase[];
}

export interface RefusalFigures {
  total: number;
  byKind: CountRow[];
  byActor: CountRow[];
}

export interface ReviewFigures {
  reviews: number;
  /** Grants the reviews covered. */
  population: number;
  sampled: number;
  highImpact: number;
  /** Items newly marked for review (sample or high impact). */
  marked: number;
  reviewed: number;
  fine: number;
  escalated: number;
  carriedOver: number;
}

export interface DriftFigures {
  sweeps: number;
  opened: number;
  reappeared: number;
  removed: number;
  allowed: number;
  gone: number;
  removalManualAction: number;
  /** Of the findings opened or reappearing in the period, those not resolved by its end. */
  stillOpen: number;
}

export interface ReportFigures {
  grants: GrantFigures;
  highImpact: HighImpactFigures;
  timing: TimingFigures;
  usage: UsageFigures;
  revocation: RevocationFigures;
  refusals: RefusalFigures;
  reviews: ReviewFigures;
  drift: DriftFigures;
  /** Permission changes made outside Custodian and what came of them: not recorded in the trail yet. */
  untracedChanges: { tracked: false; note: string };
}

/** What the audit-chain check said about the records the report was built from. */
export interface ChainCheck {
  /** Records of the period that were read. */
  records: number;
  firstSeq: number | null;
  lastSeq: number | null;
  firstHash: string | null;
  lastHash: string | null;
  verified: boolean;
  /** The whole chain was walked from its start (or retention anchor) to its head. */
  chainRecords: number;
  /** Set when verification failed: the first bad record and what is wrong with it. */
  failure?: { seq: number; problem: string; message: string; inPeriod: boolean };
}

export interface AuditReport {
  period: { from: number; to: number };
  tenant: string;
  generatedAt: number;
  chain: ChainCheck;
  figures: ReportFigures;
}
