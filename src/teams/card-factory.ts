import { policyFor, type PolicySet } from '../domain/policy';
import type { DraftField, RequestDraft } from '../domain/request-draft';
import type { AccessRequest } from '../domain/types';
import { renderCard, type CardJson } from './cards/render-template';
import type { ViewerRights } from '../app/requests/viewer-rights';
import { requestCardData } from './cards/request-view';
import { requestFormData } from './cards/form-view';
import { plainText } from '../domain/plain-text';

export interface NoticeContent {
  title: string;
  text: string;
  color?: 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';
  facts?: { title: string; value: string }[];
  footer?: string;
}

/** Builds every card the bot sends from the templates in bot/cards. */
export class CardFactory {
  constructor(
    private readonly cardsDir: string,
    private readonly policies: PolicySet,
  ) {}

  request(request: AccessRequest, rights: ViewerRights, options: { notice?: string; refreshUserIds?: string[] } = {}): CardJson {
    return renderCard(this.cardsDir, 'request', requestCardData(request, policyFor(this.policies, request.jurisdiction), rights, options));
  }

  form(draft?: RequestDraft, errors?: Partial<Record<DraftField, string>>): CardJson {
    return renderCard(this.cardsDir, 'request-form', requestFormData(this.policies, draft, errors));
  }

  notice(content: NoticeContent): CardJson {
    // Notice texts and facts carry people's text (names, tickets, comments): shown literally.
    const facts = (content.facts ?? []).map((fact) => ({ title: fact.title, value: plainText(fact.value) }));
    return renderCard(this.cardsDir, 'notice', { color: 'Default', footer: '', ...content, text: plainText(content.text), facts });
  }

  list(title: string, items: { id: string; summary: string }[], empty: string): CardJson {
    const shown = items.map((item) => ({ id: plainText(item.id), summary: plainText(item.summary) }));
    return renderCard(this.cardsDir, 'request-list', { title: plainText(title), items: shown, empty });
  }
}

export function cardAttachment(card: CardJson) {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}
