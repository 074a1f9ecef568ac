import { ROLE_SECURITY } from '../../domain/policy';
import type { ReviewItem } from '../../domain/review-record';
import type { Person } from '../../domain/types';
import type { AppContext } from '../context';
import { reviewItemRecords } from './review-records';

export interface OpenReviews {
  items: ReviewItem[];
  /** Of those, how many were carried over from an earlier review at least once. */
  carried: number;
}

/** What is still waiting for a verdict ("reviews" in chat), for the security role only; refusals are audited. */
export async function openReviews(
  ctx: AppContext,
  viewer: Person,
): Promise<{ ok: true; open: OpenReviews } | { ok: false; message: string }> {
  if (!(await ctx.roles.hasRole(viewer, ROLE_SECURITY))) {
    await ctx.audit.append({ type: 'refused.reviews-query', actor: viewer, details: { reason: 'not in the security role' } });
    return { ok: false, message: 'Only members of the security role can see access reviews.' };
  }
  const items = (await reviewItemRecords(ctx.store).list(['open'])).map((record) => record.body);
  items.sort((a, b) => a.markedAt - b.markedAt || a.requestId.localeCompare(b.requestId));
  await ctx.audit.append({ type: 'reviews.queried', actor: viewer, details: { open: items.length } });
  return { ok: true, open: { items, carried: items.filter((item) => item.carried > 0).length } };
}
