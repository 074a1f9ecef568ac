import type restify from 'restify';

/** What a caller is told when a request fails before or during authentication: fixed texts, never an exception's. */
export const FIXED_ERRORS = {
  400: { error: 'bad-request', message: 'The request body is not a valid Bot Framework activity.' },
  401: { error: 'unauthorized', message: 'A valid Bot Framework token is required.' },
  413: { error: 'too-large', message: 'The request body is too large.' },
  500: { error: 'internal', message: 'The request could not be handled.' },
} as const;

export type FixedStatus = keyof typeof FIXED_ERRORS;

export function sendFixed(res: restify.Response, status: FixedStatus): void {
  res.status(status);
  res.json(FIXED_ERRORS[status]);
}

/**
 * The response handed to botbuilder's CloudAdapter. The adapter answers a
 * failed authentication (401) or a thrown turn (500) with the exception's
 * message as the body; this keeps the status and replaces the body with the
 * fixed one. A failure before the turn started is a token that could not be
 * validated (e.g. its signing keys could not be fetched): 401, failing closed.
 * Invoke responses (the bot's own answers) pass unchanged.
 */
export function withFixedErrors(res: restify.Response, turnStarted: () => boolean) {
  let status = 200;
  const wrapped = {
    socket: res.socket,
    header: (name: string, value: string): void => void res.header(name, value),
    status(code: number) {
      status = code >= 500 && !turnStarted() ? 401 : code;
      res.status(status);
      return wrapped;
    },
    send(body?: unknown) {
      if (status === 401 || status >= 500) res.json(FIXED_ERRORS[status === 401 ? 401 : 500]);
      else res.send(body);
      return wrapped;
    },
    end() {
      if (!res.writableEnded) res.end();
      return wrapped;
    },
  };
  return wrapped;
}
