import type { AccessReview, ReviewOutcome } from '../../domain/review-record';
import type { Person } from '../../domain/types';
import type { AppContext } from '../context';
import { openReviews } from './open-reviews';
import { loadBoard } from './review-board';
import { decideReviewItem } from './review-outcome';
import type { ReviewBoard, ReviewCards } from './review-ports';
import { runAccessReview, type ReviewSettings } from './run-review';

/** Access reviews wired once by the composition root: the scheduled job and what people do with its cards. */
export class AccessReviews {
  constructor(
    private readonly ctx: AppContext,
    private readonly cards: ReviewCards,
    readonly settings: ReviewSettings,
  ) {}

  /** The review schedule's firing. */
  run(firedAt: number): Promise<AccessReview | null> {
    return runAccessReview(this.ctx, this.cards, this.settings, firedAt);
  }

  decide(actor: Person, requestId: string, status: ReviewOutcome['status'], comment?: string) {
    return decideReviewItem(this.ctx, this.cards, actor, requestId, status, comment);
  }

  open(viewer: Person) {
    return openReviews(this.ctx, viewer);
  }

  board(reviewId: string): Promise<ReviewBoard | null> {
    return loadBoard(this.ctx, reviewId);
  }
}
