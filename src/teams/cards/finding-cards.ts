import type { FindingCards } from '../../app/ports';
import type { DriftFinding } from '../../domain/drift-finding';
import type { PostedRef } from '../../domain/review-record';
import { renderCard, type CardJson } from './render-template';
import { findingCardData } from './finding-view';
import type { SecurityCardPoster } from './review-cards';

/** Finding cards from bot/cards/finding.json, posted to and updated in the security conversation. */
export class TeamsFindingCards implements FindingCards {
  constructor(
    private readonly cardsDir: string,
    private readonly poster: SecurityCardPoster,
  ) {}

  finding(finding: DriftFinding, notice = ''): CardJson {
    return renderCard(this.cardsDir, 'finding', findingCardData(finding, notice));
  }

  postFinding(finding: DriftFinding): Promise<PostedRef | undefined> {
    return this.poster.postSecurityCard(this.finding(finding), finding.id);
  }

  updateFinding(posted: PostedRef, finding: DriftFinding): Promise<void> {
    return this.poster.updatePostedCard(posted, this.finding(finding), finding.id);
  }
}
