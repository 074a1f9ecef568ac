import type { AppContext } from '../../app/context';
import { allowStandingAccess, openFindings, removeFinding } from '../../app/drift/finding-actions';
import { requestSweep } from '../../app/drift/request-sweep';
import type { SweepRunner } from '../../app/drift/sweep-runner';
import { isFindingId } from '../../app/drift/drift-records';
import type { Person } from '../../domain/types';
import type { TeamsFindingCards } from './finding-cards';
import type { ChatAnswer } from './review-chat';

export const FINDING_VERBS = ['findingRemove', 'findingAllow'] as const;

const FINDINGS_SHOWN = 10;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
}

/** The Teams side of drift detection: "sweep", "sweep findings" and the buttons on finding cards. */
export class FindingChat {
  constructor(
    private readonly app: AppContext,
    private readonly sweeps: SweepRunner,
    private readonly cards: TeamsFindingCards,
  ) {}

  /** "sweep" starts a sweep now; "sweep findings" shows the open findings with their buttons. */
  async command(caller: Person, argument: string): Promise<ChatAnswer[]> {
    const word = argument.trim().toLowerCase();
    if (word === 'findings' || word === 'open') return this.findings(caller);
    if (word !== '' && word !== 'now')
      return [{ text: 'Type "sweep" to check mailbox permissions now, or "sweep findings" to see the open findings.' }];
    const result = await requestSweep(this.app, this.sweeps, caller);
    if (!result.ok) return [{ text: result.message }];
    if (!result.started) {
      const { running } = result;
      return [
        {
          text: `A sweep${running.sweepId ? ` (${running.sweepId})` : ''} is already running, started at ${iso(running.startedAt)}: ${running.read} of ${running.inScope || '?'} mailbox(es) read so far. Its result goes to the security conversation.`,
        },
      ];
    }
    const scope = result.inScope === 'all' ? 'all mailboxes' : `the ${result.inScope} configured mailbox(es)`;
    return [{ text: `Sweep started over ${scope}. The result goes to the security conversation, with a card for each new finding.` }];
  }

  private async findings(caller: Person): Promise<ChatAnswer[]> {
    const result = await openFindings(this.app, caller);
    if (!result.ok) return [{ text: result.message }];
    if (result.findings.length === 0)
      return [
        { text: 'No open findings. (Only mailboxes that sweeps could read are covered; each sweep names the ones it could not read.)' },
      ];
    const shown = result.findings.slice(0, FINDINGS_SHOWN).map((finding) => ({ card: this.cards.finding(finding) }));
    const more =
      result.findings.length > FINDINGS_SHOWN
        ? [{ text: `${result.findings.length - FINDINGS_SHOWN} more open finding(s) after these; act on these first.` }]
        : [];
    return [{ text: `${result.findings.length} open finding(s), oldest first:` }, ...shown, ...more];
  }

  /** "Remove now" / "Allow" on a finding card: the answer is the card, updated (with the refusal, if any). */
  async act(caller: Person, verb: string, data: Record<string, unknown>): Promise<ChatAnswer> {
    const findingId = text(data.findingId) ?? '';
    if (!isFindingId(findingId)) return { text: 'This card does not name a finding; nothing was changed.' };
    const result =
      verb === 'findingRemove'
        ? await removeFinding(this.app, this.cards, caller, findingId)
        : await allowStandingAccess(this.app, this.cards, caller, findingId, text(data.reason));
    // Refusals without a finding (not in the security role, unknown ID) are told as text.
    if (!result.finding) return { text: result.message };
    return { card: this.cards.finding(result.finding, result.ok ? '' : result.message) };
  }
}
