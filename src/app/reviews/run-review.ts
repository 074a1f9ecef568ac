import { randomBytes } from 'node:crypto';
import { policyFor } from '../../domain/policy';
import { highImpactReasons, type ReviewReason } from '../../domain/review-impact';
import { carryItem, grantSummary, reviewIdFor, type AccessReview, type ReviewItem } from '../../domain/review-record';
import { selectSample } from '../../domain/review-sample';
import { SYSTEM_ACTOR } from '../../domain/types';
import { buildReport } from '../../audit/report/build-report';
import { cardFigures } from '../../audit/report/headline';
import { latestFiring } from '../../scheduler/periodic-jobs';
import { DuplicateKeyError } from '../../store/store';
import type { AppContext } from '../context';
import { loadBoard, refreshReviewCard } from './review-board';
import type { ReviewCards } from '../ports';
import { reviewItemRecords, reviewRecords } from './review-records';
import { grantsOfPeriod } from './review-population';

export interface ReviewSettings {
  /** UTC cron of the review, e.g. "0 8 * * 1" (Mondays 08:00). */
  cron: string;
  /** How many grants of the period are drawn at random (besides every high-impact one). */
  sampleSize: number;
}

/** The audit report's headline figures of the review's period; a failure costs the figures, not the review. */
async function periodHeadline(ctx: AppContext, from: number, to: number): Promise<AccessReview['headline']> {
  try {
    return cardFigures(await buildReport(ctx.store, { from, to, tenant: '', now: ctx.clock.now() }));
  } catch (error) {
    ctx.logger.error({ err: error }, 'review headline figures could not be computed');
    return undefined;
  }
}

/** 128 random bits as 32 hex digits; recorded with the review so the draw can be re-run. */
export function newSeed(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The scheduled access review for one firing: lists every grant since the
 * previous firing, draws the random sample, marks the sample and every
 * high-impact grant for review, carries unreviewed items of earlier reviews
 * over, records all of it (seed, population, selection) on the review and in
 * the audit trail, and posts the card to the security conversation.
 * Returns null when another instance already made this firing's review.
 */
export async function runAccessReview(
  ctx: AppContext,
  cards: ReviewCards,
  settings: ReviewSettings,
  firedAt: number,
  seed: string = newSeed(),
): Promise<AccessReview | null> {
  const id = reviewIdFor(firedAt);
  const periodFrom = latestFiring(settings.cron, firedAt - 1);
  const requests = await grantsOfPeriod(ctx, periodFrom, firedAt);
  const population = requests.map((request) => request.id);
  const sample = selectSample(population, seed, settings.sampleSize);
  const highImpact = requests
    .map((request) => ({ requestId: request.id, reasons: highImpactReasons(request, policyFor(ctx.policies, request.jurisdiction)) }))
    .filter((entry) => entry.reasons.length > 0);
  const reviews = reviewRecords(ctx.store);
  const items = reviewItemRecords(ctx.store);
  const openBefore = await items.list(['open']);

  const review: AccessReview = {
    id,
    firedAt,
    periodFrom,
    periodTo: firedAt,
    createdAt: ctx.clock.now(),
    seed,
    sampleSize: settings.sampleSize,
    population,
    sample,
    highImpact,
    marked: [],
    carriedOver: [],
    lines: requests.map((request) => ({ requestId: request.id, summary: grantSummary(request) })),
  };
  try {
    // Claim by create: one review per firing, whichever instance gets here first.
    await reviews.insert(id, review);
  } catch (error) {
    if (error instanceof DuplicateKeyError) return null;
    throw error;
  }

  const carriedFrom = new Set<string>();
  for (const open of openBefore) {
    const moved = await items.mutate(open.id, (current) => carryItem(current, id));
    if (!moved.ok) continue;
    review.carriedOver.push(open.id);
    carriedFrom.add(moved.previous.body.reviewId);
  }
  const reasons = new Map<string, ReviewReason[]>();
  for (const requestId of sample) reasons.set(requestId, ['sample']);
  for (const entry of highImpact) reasons.set(entry.requestId, [...(reasons.get(entry.requestId) ?? []), ...entry.reasons]);
  const byId = new Map(requests.map((request) => [request.id, request]));
  for (const requestId of population.filter((candidate) => reasons.has(candidate))) {
    const item: ReviewItem = {
      requestId,
      reviewId: id,
      firstReviewId: id,
      reasons: reasons.get(requestId)!,
      summary: grantSummary(byId.get(requestId)!),
      markedAt: review.createdAt,
      carried: 0,
    };
    try {
      await items.insert(requestId, item);
      review.marked.push(requestId);
    } catch (error) {
      // Marked by an earlier review already (e.g. granted in one period, ended by hand in the next).
      if (!(error instanceof DuplicateKeyError)) throw error;
    }
  }
  review.headline = await periodHeadline(ctx, periodFrom, firedAt);
  const stored = await reviews.mutate(id, (current) => ({
    ok: true,
    next: { ...current, marked: review.marked, carriedOver: review.carriedOver, headline: review.headline },
    event: 'review.items',
  }));
  if (!stored.ok) throw new Error(`Review ${id} vanished while it was being made.`);

  await ctx.audit.append({
    type: 'review.posted',
    actor: SYSTEM_ACTOR,
    details: {
      reviewId: id,
      periodFrom,
      periodTo: firedAt,
      seed,
      sampleSize: settings.sampleSize,
      population,
      sample,
      highImpact: highImpact.map((entry) => `${entry.requestId}: ${entry.reasons.join(', ')}`),
      marked: review.marked,
      carriedOver: review.carriedOver,
      carriedCount: review.carriedOver.length,
    },
  });

  const board = await loadBoard(ctx, id);
  const posted = board ? await cards.postReview(board) : undefined;
  if (posted) await reviews.mutate(id, (current) => ({ ok: true, next: { ...current, card: posted }, event: 'review.card' }));
  else ctx.logger.warn({ reviewId: id }, 'review card not posted (no security conversation registered?)');
  // Earlier cards stop offering buttons for the items that moved here.
  for (const earlier of carriedFrom) await refreshReviewCard(ctx, cards, earlier);
  return (await reviews.get(id))?.body ?? null;
}
