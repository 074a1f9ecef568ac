import type { AccessReview, PostedRef, ReviewItem } from '../../domain/review-record';

/** A review with the current state of every item it lists (marked in it or carried into it). */
export interface ReviewBoard {
  review: AccessReview;
  items: ReviewItem[];
}

/** How review cards reach the security conversation (implemented by the Teams layer). */
export interface ReviewCards {
  /** Posts the review card; undefined when no security conversation is registered or Teams failed. */
  postReview(board: ReviewBoard): Promise<PostedRef | undefined>;
  /** Re-renders a posted review card in place. */
  updateReview(posted: PostedRef, board: ReviewBoard): Promise<void>;
}
