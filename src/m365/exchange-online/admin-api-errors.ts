import { ExchangeError } from '../exchange';

/** An ExchangeError that also says what HTTP said (0 = no answer). */
export class ExchangeHttpError extends ExchangeError {
  constructor(
    message: string,
    code: string,
    transient: boolean,
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(message, code, transient);
    this.name = 'ExchangeError';
  }
}

interface AdminApiErrorBody {
  error?: {
    code?: string;
    message?: string;
    details?: Array<{ code?: string; message?: string }>;
    innererror?: { type?: string; message?: string; internalexception?: { type?: string; message?: string } };
  };
}

/**
 * Exchange puts the cmdlet's exception in the message as
 * "<id>|<Exception.Type>|<text>" (e.g. "|Microsoft.Exchange.Management.StoreTasks.
 * UserAlreadyExistsInPermissionEntryException|An existing permission entry was found for user: Alex.").
 */
export function describeAdminApiError(status: number, body: unknown): { code: string; text: string } {
  const error = (body as AdminApiErrorBody | undefined)?.error;
  const candidates = [
    error?.message,
    ...(error?.details ?? []).map((d) => d.message),
    error?.innererror?.internalexception?.message,
    error?.innererror?.message,
  ].filter((m): m is string => typeof m === 'string' && m.length > 0);
  for (const message of candidates) {
    const parts = message.split('|');
    if (parts.length >= 3) {
      const type = parts[1].trim();
      return { code: type.split('.').pop() || type, text: parts.slice(2).join('|').trim() };
    }
  }
  const typed = error?.innererror?.internalexception?.type ?? error?.innererror?.type;
  if (typed) return { code: typed.split('.').pop() || typed, text: candidates[0] ?? `HTTP ${status}` };
  return { code: error?.code || `http${status}`, text: candidates[0] ?? `HTTP ${status}` };
}

const ALREADY_EXISTS = /UserAlreadyExistsInPermissionEntry|already (exists|present|has)|ACE .*already/i;
const NOT_THERE =
  /UserNotFoundInPermissionEntry|no existing permission entry|doesn't exist|does not exist|isn't present|not present|InvalidExternalUserIdException/i;

/** For grants: Exchange says the permission is already there. */
export function isAlreadyThere(err: unknown): boolean {
  return err instanceof ExchangeError && !err.transient && ALREADY_EXISTS.test(`${err.code} ${err.message}`);
}

/** For revocations: Exchange says there is nothing to remove. */
export function isAlreadyGone(err: unknown): boolean {
  return err instanceof ExchangeError && !err.transient && NOT_THERE.test(`${err.code} ${err.message}`);
}

export function isCommandUnavailable(err: unknown): boolean {
  return err instanceof ExchangeError && /CommandNotFound|is not recognized|not allowed|NotAllowed/i.test(`${err.code} ${err.message}`);
}
