import { REVIEW_REASON_LABELS } from '../../domain/review-impact';
import type { AccessReview, ReviewItem } from '../../domain/review-record';
import type { ReviewBoard } from '../../app/ports';
import type { OpenReviews } from '../../app/reviews/open-reviews';
import { reportCommand } from '../../audit/report/month-period';
import { plainText } from '../../domain/plain-text';

// Data for bot/cards/review.json: the scheduled review card, and the list of
// open items that "reviews" shows. Teams cards are limited in size, so long
// lists are cut with a line that says how many more there are and where to see them.

export const LINES_SHOWN = 40;
export const ITEMS_SHOWN = 20;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
}

function who(person: { name?: string; upn?: string; aadObjectId: string }): string {
  return person.name ?? person.upn ?? person.aadObjectId;
}

/** The Input.Text id of an item's comment: one per item, so several can sit on one card. */
export function commentInputId(requestId: string): string {
  return `comment-${requestId}`;
}

function itemData(item: ReviewItem, shownIn: string, view: 'review' | 'open') {
  const reasons = item.reasons.map((reason) => REVIEW_REASON_LABELS[reason]).join(', ');
  const carried = item.carried > 0 ? ` · carried over ${item.carried}× (first marked in ${item.firstReviewId})` : '';
  let state = '';
  let stateColor = 'Default';
  if (item.outcome?.status === 'fine') {
    state = `✔ Reviewed – fine, by ${who(item.outcome.by)} at ${iso(item.outcome.at)}${item.outcome.comment ? `: "${item.outcome.comment}"` : ''}`;
    stateColor = 'Good';
  } else if (item.outcome?.status === 'escalated') {
    state = `⚠ Escalated by ${who(item.outcome.by)} at ${iso(item.outcome.at)}: "${item.outcome.comment ?? ''}"`;
    stateColor = 'Attention';
  } else if (item.reviewId !== shownIn) {
    state = `Not reviewed here; carried over to ${item.reviewId}.`;
    stateColor = 'Warning';
  }
  return {
    requestId: item.requestId,
    reviewId: item.reviewId,
    summary: plainText(item.summary),
    why: `Marked: ${reasons}${carried}`,
    state: plainText(state),
    stateColor,
    open: !item.outcome && item.reviewId === shownIn,
    inputId: commentInputId(item.requestId),
    /** Which card the buttons sit on, so the answer re-renders that card. */
    view,
  };
}

function more(total: number, shown: number, where: string): string {
  return total > shown ? `… and ${total - shown} more ${where}.` : '';
}

/** The scheduled review card. */
export function reviewCardData(board: ReviewBoard, notice = '') {
  const review: AccessReview = board.review;
  const marked = new Set(board.items.map((item) => item.requestId));
  const sampled = new Set(review.sample);
  const open = board.items.filter((item) => !item.outcome && item.reviewId === review.id).length;
  const carriedIn = review.carriedOver.length;
  const facts = [
    { title: 'Grants in the period', value: String(review.population.length) },
    {
      title: 'Marked for review',
      value: `${review.marked.length} (random sample: ${review.sample.length} of ${review.population.length}, high impact: ${review.highImpact.length})`,
    },
    { title: 'Carried over unreviewed', value: `${carriedIn}${carriedIn ? ` (${review.carriedOver.join(', ')})` : ''}` },
    { title: 'Still open on this card', value: String(open) },
    { title: 'Sample seed', value: review.seed },
    { title: 'Sample', value: review.sample.length ? review.sample.join(', ') : 'none' },
  ];
  return {
    title: `Access review ${review.id}`,
    subtitle: `Grants from ${iso(review.periodFrom)} to ${iso(review.periodTo)}`,
    notice: plainText(notice),
    facts,
    showLines: true,
    lines: review.lines.slice(0, LINES_SHOWN).map((line) => ({
      mark: marked.has(line.requestId) ? (sampled.has(line.requestId) ? '◆' : '●') : '·',
      summary: plainText(line.summary),
    })),
    moreLines: more(review.lines.length, LINES_SHOWN, 'grants (type "audit <request ID>" for any of them)'),
    itemsHeading: 'Marked for review (◆ random sample, ● high impact)',
    emptyItems: 'Nothing to review this time.',
    items: board.items.slice(0, ITEMS_SHOWN).map((item) => itemData(item, review.id, 'review')),
    moreItems: more(board.items.length, ITEMS_SHOWN, 'marked grants: type "reviews" to review them'),
    headline: review.headline ?? [],
    headlineHeading: `The period in figures (full report: ${reportCommand({ from: review.periodFrom, to: review.periodTo })})`,
    footer: `The sample is reproducible: selectSample(population, "${review.seed}", ${review.sampleSize}) over the ${review.population.length} request ID(s) recorded in the audit trail (review.posted) gives the same selection.`,
  };
}

/** "reviews": every open item, oldest first. */
export function openReviewsCardData(open: OpenReviews, notice = '') {
  return {
    title: 'Open access reviews',
    subtitle: `${open.items.length} grant(s) waiting for a verdict; ${open.carried} of them carried over from an earlier review.`,
    notice: plainText(notice),
    facts: [],
    showLines: false,
    lines: [],
    moreLines: '',
    itemsHeading: 'Waiting for review',
    emptyItems: 'Nothing is waiting for review.',
    items: open.items.slice(0, ITEMS_SHOWN).map((item) => itemData(item, item.reviewId, 'open')),
    moreItems: more(open.items.length, ITEMS_SHOWN, 'open items; review these first'),
    headline: [],
    headlineHeading: '',
    footer: '',
  };
}
