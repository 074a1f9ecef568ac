import type { AccessReview, ReviewItem } from '../../domain/review-record';
import type { Store } from '../../store/store';
import { RecordRepo } from '../persistence/record-repo';

export const REVIEW_KIND = 'review';
export const REVIEW_ITEM_KIND = 'review-item';

/** Access reviews, one per firing of the review schedule. */
export function reviewRecords(store: Store): RecordRepo<AccessReview> {
  return new RecordRepo<AccessReview>(store, REVIEW_KIND, () => 'posted');
}

/** Grants marked for review, by request ID; status "open" until someone reviewed them. */
export function reviewItemRecords(store: Store): RecordRepo<ReviewItem> {
  return new RecordRepo<ReviewItem>(store, REVIEW_ITEM_KIND, (item) => item.outcome?.status ?? 'open');
}
