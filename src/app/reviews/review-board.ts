import type { AppContext } from '../context';
import type { ReviewBoard, ReviewCards } from '../ports';
import { reviewItemRecords, reviewRecords } from './review-records';

/** A review and the current state of the items it lists; null when no such review exists. */
export async function loadBoard(ctx: AppContext, reviewId: string): Promise<ReviewBoard | null> {
  const review = await reviewRecords(ctx.store).get(reviewId);
  if (!review) return null;
  const items = reviewItemRecords(ctx.store);
  const listed = [];
  for (const requestId of [...review.body.carriedOver, ...review.body.marked]) {
    const item = await items.get(requestId);
    if (item) listed.push(item.body);
  }
  return { review: review.body, items: listed };
}

/** Re-renders a review's posted card; cards are a view, so a failure is logged and nothing else. */
export async function refreshReviewCard(ctx: AppContext, cards: ReviewCards, reviewId: string): Promise<void> {
  try {
    const board = await loadBoard(ctx, reviewId);
    if (board?.review.card) await cards.updateReview(board.review.card, board);
  } catch (error) {
    ctx.logger.error({ err: error, reviewId }, 'review card refresh failed');
  }
}
