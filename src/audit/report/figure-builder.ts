import type { AccessRequest, AuditEvent } from '../../domain/types';
import { DECISION_BUCKETS, distribution, LAG_BUCKETS, percentile, round } from './distribution';
import { factsFromRequest, factsFromSubmission, personLabel, type RequestFacts } from './request-facts';
import type { CountRow, DriftFigures, ManualActionCase, ReportFigures, ReviewFigures, UsageRow } from './report-types';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** What the period's records say happened to one request. */
interface RequestTrack {
  facts?: RequestFacts;
  decidedAt?: number;
  grantedAt?: number;
  expiresAt?: number;
  revokedAt?: number;
  revokeReason?: string;
  manual?: { raisedAt: number; attempts: number };
  cleanedUpAt?: number;
  mailbox?: string;
}

/** Events that end a drift finding. */
const FINDING_RESOLVED = new Set(['drift.removal.confirmed', 'drift.finding.allowed', 'drift.finding.gone']);

/**
 * Turns the period's audit records, fed one by one in seq order, into the
 * report's figures. Memory grows with the requests and findings of the period,
 * never with the records. Requests submitted before the period are named by
 * requestsToLookUp() so that the caller can supply them from the store.
 */
export class FigureBuilder {
  private readonly requests = new Map<string, RequestTrack>();
  private readonly refusalKinds = new Map<string, number>();
  private readonly refusalActors = new Map<string, number>();
  private readonly findings = new Map<string, 'open' | 'resolved'>();
  private readonly reviews: ReviewFigures = {
    reviews: 0,
    population: 0,
    sampled: 0,
    highImpact: 0,
    marked: 0,
    reviewed: 0,
    fine: 0,
    escalated: 0,
    carriedOver: 0,
  };
  private readonly drift: Omit<DriftFigures, 'stillOpen'> = {
    sweeps: 0,
    opened: 0,
    reappeared: 0,
    removed: 0,
    allowed: 0,
    gone: 0,
    removalManualAction: 0,
  };
  private failedRevocations = 0;

  add(event: AuditEvent): void {
    const refusal = refusalKind(event.type);
    if (refusal) {
      count(this.refusalKinds, refusal);
      count(this.refusalActors, personLabel(event.actor));
      return;
    }
    if (event.type.startsWith('review.')) return this.addReview(event);
    if (event.type.startsWith('drift.')) return this.addDrift(event);
    if (event.requestId) this.addRequestEvent(event, event.requestId);
  }

  /** Requests whose submission predates the period but whose figures need its facts. */
  requestsToLookUp(): string[] {
    const ids: string[] = [];
    for (const [id, track] of this.requests) {
      if (!track.facts && (track.grantedAt !== undefined || track.revokedAt !== undefined || track.decidedAt !== undefined)) ids.push(id);
    }
    return ids;
  }

  /** Facts of a request from the store; the trail's own times still win. */
  learn(request: AccessRequest): void {
    const track = this.requests.get(request.id);
    if (track && !track.facts) track.facts = factsFromRequest(request);
  }

  finish(): ReportFigures {
    const tracks = [...this.requests.entries()];
    const granted = tracks.filter(([, track]) => track.grantedAt !== undefined);
    return {
      grants: this.grantFigures(granted.map(([, track]) => track)),
      highImpact: this.highImpactFigures(granted.map(([, track]) => track)),
      timing: this.timingFigures(tracks.map(([, track]) => track)),
      usage: this.usageFigures(tracks),
      revocation: this.revocationFigures(tracks),
      refusals: { total: sum(this.refusalKinds), byKind: rows(this.refusalKinds), byActor: rows(this.refusalActors) },
      reviews: { ...this.reviews },
      drift: { ...this.drift, stillOpen: [...this.findings.values()].filter((state) => state === 'open').length },
      untracedChanges: {
        tracked: false,
        note: 'Not yet tracked: the audit trail holds no record of permission changes made outside Custodian and their outcome.',
      },
    };
  }

  private track(id: string): RequestTrack {
    let track = this.requests.get(id);
    if (!track) this.requests.set(id, (track = {}));
    return track;
  }

  private addRequestEvent(event: AuditEvent, id: string): void {
    switch (event.type) {
      case 'request.submitted':
        this.track(id).facts = factsFromSubmission(event);
        return;
      case 'request.approved':
      case 'request.rejected':
        this.track(id).decidedAt = event.at;
        return;
      case 'grant.confirmed': {
        const track = this.track(id);
        track.grantedAt = event.at;
        const expiresAt = typeof event.details.expiresAt === 'string' ? Date.parse(event.details.expiresAt) : NaN;
        if (Number.isFinite(expiresAt)) track.expiresAt = expiresAt;
        return;
      }
      case 'revoke.confirmed': {
        const track = this.track(id);
        track.revokedAt = event.at;
        track.revokeReason = typeof event.details.reason === 'string' ? event.details.reason : 'unknown';
        track.mailbox = event.mailbox;
        return;
      }
      case 'grant.cleanup-confirmed':
        this.track(id).cleanedUpAt = event.at;
        return;
      case 'revoke.failed':
        this.failedRevocations++;
        return;
      case 'revoke.manual-action-raised': {
        const track = this.track(id);
        const attempts = typeof event.details.attempts === 'number' ? event.details.attempts : 0;
        track.manual = { raisedAt: track.manual?.raisedAt ?? event.at, attempts: Math.max(attempts, track.manual?.attempts ?? 0) };
        track.mailbox = event.mailbox;
        return;
      }
      default:
        return;
    }
  }

  private addReview(event: AuditEvent): void {
    const details = event.details;
    switch (event.type) {
      case 'review.posted':
        this.reviews.reviews++;
        this.reviews.population += lengthOf(details.population);
        this.reviews.sampled += lengthOf(details.sample);
        this.reviews.highImpact += lengthOf(details.highImpact);
        this.reviews.marked += lengthOf(details.marked);
        this.reviews.carriedOver += typeof details.carriedCount === 'number' ? details.carriedCount : lengthOf(details.carriedOver);
        return;
      case 'review.item.fine':
        this.reviews.fine++;
        this.reviews.reviewed++;
        return;
      case 'review.item.escalated':
        this.reviews.escalated++;
        this.reviews.reviewed++;
        return;
      default:
        return;
    }
  }

  private addDrift(event: AuditEvent): void {
    const findingId = typeof event.details.findingId === 'string' ? event.details.findingId : undefined;
    switch (event.type) {
      case 'drift.sweep.finished':
        this.drift.sweeps++;
        return;
      case 'drift.finding':
        this.drift.opened++;
        if (findingId) this.findings.set(findingId, 'open');
        return;
      case 'drift.finding.reappeared':
        this.drift.reappeared++;
        if (findingId) this.findings.set(findingId, 'open');
        return;
      case 'drift.removal.manual-action-raised':
        this.drift.removalManualAction++;
        return;
      default:
        break;
    }
    if (!FINDING_RESOLVED.has(event.type)) return;
    if (event.type === 'drift.removal.confirmed') this.drift.removed++;
    else if (event.type === 'drift.finding.allowed') this.drift.allowed++;
    else this.drift.gone++;
    if (findingId && this.findings.has(findingId)) this.findings.set(findingId, 'resolved');
  }

  private grantFigures(granted: RequestTrack[]): ReportFigures['grants'] {
    const byWeekAndAccess = new Map<string, number>();
    const byWeekAndRequester = new Map<string, number>();
    const byRequester = new Map<string, number>();
    const byJurisdiction = new Map<string, number>();
    for (const track of granted) {
      const week = weekOf(track.grantedAt!);
      const access = track.facts?.access ?? 'unknown';
      const requester = track.facts?.requester ?? 'unknown';
      count(byWeekAndAccess, `${week}\u0000${access}`);
      count(byWeekAndRequester, `${week}\u0000${requester}`);
      count(byRequester, requester);
      count(byJurisdiction, track.facts?.jurisdiction ?? 'unknown');
    }
    return {
      total: granted.length,
      byWeekAndAccess: pairs(byWeekAndAccess).map(([week, access, value]) => ({
        week,
        access: access as AccessRequest['access'],
        count: value,
      })),
      byRequester: rows(byRequester),
      byWeekAndRequester: pairs(byWeekAndRequester).map(([week, requester, value]) => ({ week, requester, count: value })),
      byJurisdiction: rows(byJurisdiction),
    };
  }

  private highImpactFigures(granted: RequestTrack[]): ReportFigures['highImpact'] {
    let fullAccess = 0;
    let strict = 0;
    let conflict = 0;
    let any = 0;
    for (const { facts } of granted) {
      const reasons = [facts?.access === 'FullAccess', facts?.strictJurisdiction === true, facts?.conflictOfInterest === true];
      if (reasons[0]) fullAccess++;
      if (reasons[1]) strict++;
      if (reasons[2]) conflict++;
      if (reasons.some(Boolean)) any++;
    }
    return {
      grants: granted.length,
      highImpact: any,
      share: granted.length ? round(any / granted.length)! : 0,
      fullAccess,
      strictJurisdiction: strict,
      conflictOfInterest: conflict,
    };
  }

  private timingFigures(tracks: RequestTrack[]): ReportFigures['timing'] {
    const toDecision: number[] = [];
    const toGrant: number[] = [];
    for (const track of tracks) {
      const submittedAt = track.facts?.submittedAt;
      if (submittedAt === undefined) continue;
      if (track.decidedAt !== undefined) toDecision.push((track.decidedAt - submittedAt) / MINUTE);
      if (track.grantedAt !== undefined) toGrant.push((track.grantedAt - submittedAt) / MINUTE);
    }
    return { toDecision: distribution(toDecision, DECISION_BUCKETS), toGrant: distribution(toGrant, DECISION_BUCKETS) };
  }

  private usageFigures(tracks: [string, RequestTrack][]): ReportFigures['usage'] {
    const grants: UsageRow[] = [];
    const byReason = new Map<string, number>();
    for (const [requestId, track] of tracks) {
      if (track.revokedAt === undefined) continue;
      const reason = track.revokeReason ?? 'unknown';
      count(byReason, reason);
      const grantedAt = track.grantedAt ?? track.facts?.grantedAt;
      const requested = track.facts?.durationMinutes;
      if (grantedAt === undefined || requested == null) continue;
      grants.push({ requestId, requestedMinutes: requested, usedMinutes: round((track.revokedAt - grantedAt) / MINUTE)!, reason });
    }
    const shares = grants
      .filter((row) => row.requestedMinutes > 0)
      .map((row) => row.usedMinutes / row.requestedMinutes)
      .sort((a, b) => a - b);
    const reasons = rows(byReason);
    const heldByReason = reasons.map(({ label }) => {
      const of = grants.filter((row) => row.reason === label);
      const median = (pick: (row: UsageRow) => number) =>
        round(
          percentile(
            of.map(pick).sort((a, b) => a - b),
            0.5,
          ),
        );
      return {
        reason: label,
        grants: of.length,
        medianRequestedMinutes: median((row) => row.requestedMinutes),
        medianUsedMinutes: median((row) => row.usedMinutes),
      };
    });
    return {
      ended: sum(byReason),
      byReason: reasons,
      heldByReason,
      endedEarly: (byReason.get('released') ?? 0) + (byReason.get('manual') ?? 0),
      medianShareUsed: round(percentile(shares, 0.5)),
      grants: grants.sort((a, b) => a.requestId.localeCompare(b.requestId)),
    };
  }

  private revocationFigures(tracks: [string, RequestTrack][]): ReportFigures['revocation'] {
    const lags: number[] = [];
    const manualAction: ManualActionCase[] = [];
    for (const [requestId, track] of tracks) {
      if (track.revokedAt !== undefined && track.revokeReason === 'expired') {
        const expiresAt = track.expiresAt ?? track.facts?.expiresAt;
        if (expiresAt !== undefined) lags.push(Math.max(0, track.revokedAt - expiresAt) / MINUTE);
      }
      if (track.manual) {
        const confirmedAt = track.revokedAt ?? track.cleanedUpAt;
        manualAction.push({
          requestId,
          mailbox: track.mailbox ?? 'unknown',
          raisedAt: track.manual.raisedAt,
          attempts: track.manual.attempts,
          confirmedAt: confirmedAt !== undefined && confirmedAt >= track.manual.raisedAt ? confirmedAt : null,
        });
      }
    }
    return {
      expiredRevoked: lags.length,
      lag: distribution(lags, LAG_BUCKETS),
      failedAttempts: this.failedRevocations,
      manualAction: manualAction.sort((a, b) => a.raisedAt - b.raisedAt),
    };
  }
}

/** The kind of refusal a record is, or undefined when it is not one. */
export function refusalKind(type: string): string | undefined {
  if (type.startsWith('refused.')) return type.slice('refused.'.length);
  if (type === 'request.refused') return 'submission';
  if (type === 'request.refused.standing-access') return 'standing-access';
  return undefined;
}

/** The Monday (UTC) of the week holding `at`, as YYYY-MM-DD. */
export function weekOf(at: number): string {
  const day = new Date(at);
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(midnight - sinceMonday * DAY).toISOString().slice(0, 10);
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sum(map: Map<string, number>): number {
  let total = 0;
  for (const value of map.values()) total += value;
  return total;
}

/** Largest first, then by label, so that tables and charts read the same way every time. */
function rows(map: Map<string, number>): CountRow[] {
  return [...map.entries()]
    .map(([label, value]) => ({ label, count: value }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** Two-part keys split back, ordered by the first part then the second. */
function pairs(map: Map<string, number>): [string, string, number][] {
  return [...map.entries()]
    .map(([key, value]) => [...key.split('\u0000'), value] as [string, string, number])
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
}

function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}
