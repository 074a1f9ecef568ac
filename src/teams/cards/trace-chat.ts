import type { AppContext } from '../../app/context';
import type { FindingCards } from '../../app/ports';
import { acceptUntraced, linkUntraced, removeUntraced } from '../../app/trace/trace-actions';
import { isTraceFindingId } from '../../app/trace/trace-records';
import type { Person } from '../../domain/types';
import type { ChatAnswer } from './review-chat';
import type { TeamsTraceCards } from './trace-cards';

export const TRACE_VERBS = ['traceRemove', 'traceLink', 'traceAccept'] as const;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The buttons on untraced-change cards: Remove now, Link to request, Accept with reason. */
export class TraceChat {
  constructor(
    private readonly app: AppContext,
    private readonly cards: TeamsTraceCards,
    private readonly findingCards: FindingCards,
  ) {}

  async act(caller: Person, verb: string, data: Record<string, unknown>): Promise<ChatAnswer> {
    const findingId = text(data.findingId) ?? '';
    if (!isTraceFindingId(findingId)) return { text: 'This card does not name a finding; nothing was changed.' };
    const result =
      verb === 'traceRemove'
        ? await removeUntraced(this.app, this.cards, this.findingCards, caller, findingId)
        : verb === 'traceLink'
          ? await linkUntraced(this.app, this.cards, caller, findingId, text(data.requestId) ?? '')
          : await acceptUntraced(this.app, this.cards, caller, findingId, text(data.reason));
    if (!result.finding) return { text: result.message };
    return { card: this.cards.card(result.finding, result.ok ? '' : result.message) };
  }
}
