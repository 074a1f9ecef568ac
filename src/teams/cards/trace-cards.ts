import type { TraceCards } from '../../app/trace/trace-records';
import type { PostedRef } from '../../domain/review-record';
import type { TraceFinding } from '../../domain/trace-finding';
import { renderCard, type CardJson } from './render-template';
import type { SecurityCardPoster } from './review-cards';
import { traceCardData } from './trace-view';

/** Untraced-change cards from bot/cards/trace-finding.json, in the security conversation. */
export class TeamsTraceCards implements TraceCards {
  constructor(
    private readonly cardsDir: string,
    private readonly poster: SecurityCardPoster,
  ) {}

  card(finding: TraceFinding, notice = ''): CardJson {
    return renderCard(this.cardsDir, 'trace-finding', traceCardData(finding, notice));
  }

  postTraceFinding(finding: TraceFinding): Promise<PostedRef | undefined> {
    return this.poster.postSecurityCard(this.card(finding), finding.id);
  }

  updateTraceFinding(posted: PostedRef, finding: TraceFinding): Promise<void> {
    return this.poster.updatePostedCard(posted, this.card(finding), finding.id);
  }
}
