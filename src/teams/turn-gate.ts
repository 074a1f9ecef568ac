import type { TurnContext } from 'botbuilder';
import type { AppContext } from '../app/context';
import type { ForeignActivities } from '../app/edge/foreign-activities';
import { refuseOversizedInput } from '../app/edge/refuse-input';
import { runForActor } from '../app/notifiers/turn-actor';
import { callerOf } from './activity-identity';
import { oversizedInActivity } from './activity-limits';
import { foreignOrigin } from './activity-origin';
import { escapeRepliesOf } from './outgoing-text';
import { failureText } from './user-messages';

/** The only invoke Custodian answers: Universal Actions (Action.Execute). Other invokes get 400, not the handler's 501. */
const HANDLED_INVOKES = new Set(['adaptiveCard/action']);

/**
 * The edge of every authenticated turn, before the bot (and its first store
 * write) runs: only our tenant's Teams, only values within FIELD_LIMITS,
 * only invokes we handle. The rest of the turn runs as its caller, so
 * refusal notices raised below are grouped per person.
 */
export class TurnGate {
  constructor(
    private readonly app: AppContext,
    private readonly tenantId: string,
    private readonly foreign: ForeignActivities,
  ) {}

  async run(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    escapeRepliesOf(context);
    const origin = foreignOrigin(activity, this.tenantId);
    if (origin) {
      await this.foreign.refuse(origin);
      return reply(context, 403, 'This bot serves only its own organisation in Microsoft Teams.');
    }
    if (activity.type === 'invoke' && !HANDLED_INVOKES.has(String(activity.name)))
      return reply(context, 400, 'This invoke is not supported.');
    if (activity.type === 'invoke' && !isCardAction(activity.value)) return reply(context, 400, 'This card action is malformed.');
    const caller = callerOf(activity);
    const oversized = oversizedInActivity(activity);
    if (oversized) {
      // An oversized name is not repeated into the audit trail.
      const actor = caller && oversized.field === 'displayName' ? { aadObjectId: caller.aadObjectId } : caller;
      const why = await runForActor(caller?.aadObjectId ?? 'unidentified', () =>
        refuseOversizedInput(this.app, actor, oversized, String(activity.type)),
      ).catch((error: unknown) => {
        this.app.logger.error({ err: error, field: oversized.field }, 'oversized input refused, but the refusal was not recorded');
        return failureText(error);
      });
      return reply(context, 200, why);
    }
    await runForActor(caller?.aadObjectId ?? 'unidentified', next);
  }
}

/** Action.Execute as Teams sends it: value.action with a text verb and, if any, an object of data. */
function isCardAction(value: unknown): boolean {
  const action = (value as { action?: unknown } | null | undefined)?.action;
  if (typeof value !== 'object' || value === null || typeof action !== 'object' || action === null) return false;
  const { type, verb, data } = action as { type?: unknown; verb?: unknown; data?: unknown };
  return (
    type === 'Action.Execute' &&
    typeof verb === 'string' &&
    (data === undefined || (typeof data === 'object' && data !== null && !Array.isArray(data)))
  );
}

/** An invoke gets its answer as the invoke response; anything else as a message. */
async function reply(context: TurnContext, status: number, text: string): Promise<void> {
  if (context.activity.type === 'invoke') {
    const body = status === 200 ? { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } : { error: text };
    await context.sendActivity({ type: 'invokeResponse', value: { status, body } });
    return;
  }
  if (status === 200 && context.activity.type === 'message') await context.sendActivity(text);
}
