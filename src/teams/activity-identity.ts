import type { Activity } from 'botbuilder';
import type { Person } from '../domain/types';

/**
 * The caller as the authenticated channel delivered it. Card data is never
 * consulted for identity. Null when the activity carries no Entra object ID.
 */
export function callerOf(activity: Activity): Person | null {
  const aadObjectId = activity.from?.aadObjectId;
  if (!aadObjectId) return null;
  return { aadObjectId, name: activity.from.name };
}
