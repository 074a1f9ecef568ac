import { describeAccess } from './access-level';
import { formatDuration } from './duration';
import type { ReviewReason } from './review-impact';
import type { AccessRequest, Person } from './types';

// What an access review stores, and the pure changes to its items.

/** Where a card was posted, so that it can be updated in place. */
export interface PostedRef {
  conversationKey: string;
  activityId: string;
}

/** One line of the review's compact list: every grant of the period. */
export interface GrantLine {
  requestId: string;
  summary: string;
}

export interface AccessReview {
  id: string;
  /** The schedule's firing this review belongs to. */
  firedAt: number;
  /** The period covered: [periodFrom, periodTo). */
  periodFrom: number;
  periodTo: number;
  createdAt: number;
  /** Recorded so that anyone can re-run selectSample(population, seed, sampleSize). */
  seed: string;
  sampleSize: number;
  /** Request IDs of every grant of the period, sorted: the population the sample is drawn from. */
  population: string[];
  /** selectSample(population, seed, sampleSize), in the order drawn. */
  sample: string[];
  highImpact: { requestId: string; reasons: ReviewReason[] }[];
  /** Items this review marked (sample or high impact) that were not marked before. */
  marked: string[];
  /** Unreviewed items of earlier reviews carried into this one. */
  carriedOver: string[];
  lines: GrantLine[];
  /** The period's headline figures from the audit report (absent on reviews made before it existed, or when it failed). */
  headline?: { label: string; value: string }[];
  card?: PostedRef;
}

export type ReviewItemStatus = 'open' | 'fine' | 'escalated';

export interface ReviewOutcome {
  status: 'fine' | 'escalated';
  by: Person;
  at: number;
  comment?: string;
}

/** A grant marked for review; its id is the request ID (a grant is marked once). */
export interface ReviewItem {
  requestId: string;
  /** The review that lists it now (the latest one it was carried into). */
  reviewId: string;
  /** The review that first marked it. */
  firstReviewId: string;
  reasons: ReviewReason[];
  summary: string;
  markedAt: number;
  /** How many later reviews it was carried into unreviewed. */
  carried: number;
  outcome?: ReviewOutcome;
}

export interface RecordRefusal {
  code: 'not-found' | 'not-allowed' | 'already-decided' | 'comment-required' | 'reason-required' | 'not-open';
  message: string;
}

export type RecordChange<T> =
  { ok: true; next: T; event: string; details?: Record<string, unknown> } | { ok: false; refusal: RecordRefusal };

const MAX_COMMENT = 1000;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
}

function who(person: Person): string {
  return person.name ?? person.upn ?? person.aadObjectId;
}

/** "CUS-2026-0001 · FullAccess · Adele Vance → alex@contoso.com · EU · INC-1 · 4h from 2026-11-27T09:00Z · revoked (expired)". */
export function grantSummary(request: AccessRequest): string {
  const ended =
    request.status === 'revoked'
      ? `revoked (${request.revokeReason ?? 'expired'})`
      : request.status === 'grant_failed'
        ? 'grant failed'
        : request.status;
  const from = request.grantedAt !== undefined ? ` from ${iso(request.grantedAt)}` : '';
  return [
    request.id,
    describeAccess(request.access, request.folder),
    `${who(request.requester)} → ${request.mailbox.upn}`,
    request.jurisdiction,
    request.ticket,
    `${formatDuration(request.durationMinutes)}${from}`,
    ended,
  ].join(' · ');
}

/** Records a reviewer's verdict on an open item; escalating needs a comment. */
export function decideItem(
  item: ReviewItem,
  status: ReviewOutcome['status'],
  by: Person,
  now: number,
  comment?: string,
): RecordChange<ReviewItem> {
  if (item.outcome) {
    const done = item.outcome;
    return {
      ok: false,
      refusal: {
        code: 'already-decided',
        message: `${item.requestId} was already reviewed (${done.status === 'fine' ? 'fine' : 'escalated'}) by ${who(done.by)} at ${iso(done.at)}.`,
      },
    };
  }
  const text = comment?.trim() ?? '';
  if (status === 'escalated' && text === '')
    return {
      ok: false,
      refusal: {
        code: 'comment-required',
        message: `Say why you escalate ${item.requestId}: type a comment on the card, then press Escalate.`,
      },
    };
  if (text.length > MAX_COMMENT)
    return {
      ok: false,
      refusal: { code: 'comment-required', message: `The comment is ${text.length} characters long; keep it under ${MAX_COMMENT}.` },
    };
  const outcome: ReviewOutcome = { status, by, at: now, ...(text ? { comment: text } : {}) };
  return {
    ok: true,
    next: { ...item, outcome },
    event: status === 'fine' ? 'review.item.fine' : 'review.item.escalated',
    details: { reviewId: item.reviewId, comment: outcome.comment },
  };
}

/** An unreviewed item moves into the next review, and the move is counted. */
export function carryItem(item: ReviewItem, toReviewId: string): RecordChange<ReviewItem> {
  if (item.outcome) return { ok: false, refusal: { code: 'already-decided', message: `${item.requestId} is already reviewed.` } };
  if (item.reviewId === toReviewId)
    return { ok: false, refusal: { code: 'not-open', message: `${item.requestId} is already in ${toReviewId}.` } };
  return {
    ok: true,
    next: { ...item, reviewId: toReviewId, carried: item.carried + 1 },
    event: 'review.item.carried',
    details: { from: item.reviewId, to: toReviewId, carried: item.carried + 1 },
  };
}

/** The review ID of a firing: "REV-20261123-0800". */
export function reviewIdFor(firedAt: number): string {
  const d = new Date(firedAt).toISOString();
  return `REV-${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}-${d.slice(11, 13)}${d.slice(14, 16)}`;
}
