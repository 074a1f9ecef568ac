import type { AppContext } from '../../app/context';
import { openReviews } from '../../app/reviews/open-reviews';
import { loadBoard } from '../../app/reviews/review-board';
import { decideReviewItem } from '../../app/reviews/review-outcome';
import type { Person } from '../../domain/types';
import type { CardJson } from './render-template';
import type { TeamsReviewCards } from './review-cards';
import { commentInputId } from './review-view';

/** What the bot answers: a card, or a short text. */
export type ChatAnswer = { card: CardJson } | { text: string };

export const REVIEW_VERBS = ['reviewFine', 'reviewEscalate'] as const;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The Teams side of access reviews: the "reviews" command and the buttons on review cards. */
export class ReviewChat {
  constructor(
    private readonly app: AppContext,
    private readonly cards: TeamsReviewCards,
  ) {}

  /** "reviews": the open items with their buttons (security role only). */
  async list(caller: Person, notice = ''): Promise<ChatAnswer> {
    const result = await openReviews(this.app, caller);
    if (!result.ok) return { text: result.message };
    return { card: this.cards.open(result.open, notice) };
  }

  /** "Reviewed – fine" / "Escalate": the verdict, then the card the click came from, re-rendered (with the refusal, if any). */
  async act(caller: Person, verb: string, data: Record<string, unknown>): Promise<ChatAnswer> {
    const requestId = text(data.requestId);
    if (!requestId) return { text: 'This card does not name a grant; nothing was changed.' };
    const status = verb === 'reviewEscalate' ? 'escalated' : 'fine';
    const result = await decideReviewItem(
      this.app,
      this.cards,
      caller,
      requestId,
      status,
      text(data[commentInputId(requestId)]) ?? text(data.comment),
    );
    if (!result.ok && !result.item) return { text: result.message };
    const notice = result.ok ? '' : result.message;
    if (data.view === 'open') return this.list(caller, notice);
    const reviewId = text(data.reviewId) ?? result.item?.reviewId ?? '';
    const board = await loadBoard(this.app, reviewId);
    return board ? { card: this.cards.review(board, notice) } : { text: result.ok ? `${requestId}: recorded.` : result.message };
  }
}
