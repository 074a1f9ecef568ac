import { moved } from '../../domain/transition';
import type { AppContext } from '../context';
import { mutateRequest } from '../persistence/mutate-request';

/** Records where a request's status card was posted, so that every later change refreshes it in place. */
export async function rememberStatusCard(ctx: AppContext, requestId: string, conversationKey: string, activityId: string): Promise<void> {
  await mutateRequest(ctx.store, requestId, (current) =>
    moved(
      {
        ...current,
        cards: [...current.cards.filter((posted) => posted.activityId !== activityId), { conversationKey, activityId, view: 'status' }],
      },
      'card.posted',
    ),
  );
}
