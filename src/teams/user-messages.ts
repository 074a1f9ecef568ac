import { isStoreUnavailable } from '../app/failures';

/** What a person is told when something below the bot failed: never a stack trace, never a secret. */
export function failureText(error: unknown): string {
  if (isStoreUnavailable(error))
    return 'Custodian is temporarily unavailable (its database cannot be reached). Nothing was changed; please try again in a minute.';
  return 'Something went wrong while handling that, and nothing was changed. The error was logged; please try again, and tell the security team if it persists.';
}
