import type { Activity } from 'botbuilder';

/** Why an activity is not ours to handle: it came through another channel, or from another tenant. */
export type ForeignOrigin = { reason: 'channel'; value: string } | { reason: 'tenant'; value: string };

/**
 * Custodian serves Microsoft Teams in one Entra tenant. Teams names its
 * channel "msteams" and the tenant in channelData.tenant.id (and in
 * conversation.tenantId); both must name ours, and neither may contradict
 * the other. Null when the activity is ours.
 */
export function foreignOrigin(activity: Activity, tenantId: string): ForeignOrigin | null {
  if (activity.channelId !== 'msteams') return { reason: 'channel', value: String(activity.channelId ?? '(none)').slice(0, 64) };
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const fromConversation = activity.conversation?.tenantId as unknown;
  const named = [fromChannelData, fromConversation].filter((id) => id !== undefined && id !== null);
  if (named.length === 0) return { reason: 'tenant', value: '(none)' };
  for (const id of named)
    if (typeof id !== 'string' || id.toLowerCase() !== tenantId)
      return { reason: 'tenant', value: typeof id === 'string' ? id.slice(0, 64) : '(not text)' };
  return null;
}
