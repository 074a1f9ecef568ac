import { moved } from '../../domain/transition';
import type { AccessRequest } from '../../domain/types';
import type { AppContext } from '../context';
import { mutateRequest } from '../persistence/mutate-request';

/**
 * Records where a request's status card was posted, so that every later change
 * refreshes it in place. `request` is the copy the caller just got back from
 * the store: tried first, re-read only if it changed since.
 */
export async function rememberStatusCard(
  ctx: AppContext,
  request: AccessRequest,
  conversationKey: string,
  activityId: string,
): Promise<void> {
  await mutateRequest(
    ctx.store,
    request.id,
    (current) =>
      moved(
        {
          ...current,
          cards: [...current.cards.filter((posted) => posted.activityId !== activityId), { conversationKey, activityId, view: 'status' }],
        },
        'card.posted',
      ),
    request,
  );
}
