import { extendGrant } from '../app/requests/extend-grant';
import type { DecisionResult } from '../app/requests/decide-request';
import type { AppContext } from '../app/context';
import { parseDurationMinutes } from '../domain/duration';
import { isRequestId, normaliseRequestId } from '../domain/request-id';
import type { Person } from '../domain/types';

// "extend ID for 2h because …" from chat, and the same from the button on the
// requester's card: both read the same three fields and call one use case.

export interface ExtensionInput {
  id?: string;
  duration?: string;
  reason?: string;
}

const USAGE = 'Say which grant, how much longer and why: "extend CUS-2026-0042 for 2h because <reason>".';

/** Checks the words people typed, then asks; a problem with them is a message, never a change. */
export async function askForExtension(
  app: AppContext,
  caller: Person,
  input: ExtensionInput,
): Promise<{ ok: false; message: string } | DecisionResult> {
  if (!input.id || !isRequestId(input.id)) return { ok: false, message: USAGE };
  if (!input.duration) return { ok: false, message: `Say how much longer: "for 2h" (units m, h or d). ${USAGE}` };
  const minutes = parseDurationMinutes(input.duration);
  if (minutes === null) return { ok: false, message: `"${input.duration.slice(0, 40)}" is not a duration; write it like 30m, 2h or 1d.` };
  if (!input.reason?.trim()) return { ok: false, message: `Say why you need more time. ${USAGE}` };
  return extendGrant(app, caller, normaliseRequestId(input.id), { minutes, reason: input.reason });
}

/** The chat answer to an extension that was asked for, or why it was not. */
export function extensionAskedText(result: { ok: false; message: string } | DecisionResult): string {
  if ('message' in result) return result.message;
  if (!result.ok) return result.refusal.message;
  return `${result.request.id}: more time asked for; the approvers were told. Until they approve, access ends as planned.`;
}
