import type { OpenReviews } from '../../app/reviews/open-reviews';
import type { ReviewBoard, ReviewCards } from '../../app/ports';
import type { PostedRef } from '../../domain/review-record';
import { renderCard, type CardJson } from './render-template';
import { openReviewsCardData, reviewCardData } from './review-view';

/** Posting to the security conversation (TeamsNotifier). */
export interface SecurityCardPoster {
  postSecurityCard(card: CardJson, subject?: string): Promise<PostedRef | undefined>;
  updatePostedCard(posted: PostedRef, card: CardJson, subject?: string): Promise<void>;
}

/** Review cards from bot/cards/review.json, posted to and updated in the security conversation. */
export class TeamsReviewCards implements ReviewCards {
  constructor(
    private readonly cardsDir: string,
    private readonly poster: SecurityCardPoster,
  ) {}

  review(board: ReviewBoard, notice = ''): CardJson {
    return renderCard(this.cardsDir, 'review', reviewCardData(board, notice));
  }

  open(open: OpenReviews, notice = ''): CardJson {
    return renderCard(this.cardsDir, 'review', openReviewsCardData(open, notice));
  }

  postReview(board: ReviewBoard): Promise<PostedRef | undefined> {
    return this.poster.postSecurityCard(this.review(board), board.review.id);
  }

  updateReview(posted: PostedRef, board: ReviewBoard): Promise<void> {
    return this.poster.updatePostedCard(posted, this.review(board), board.review.id);
  }
}
