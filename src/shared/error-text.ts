/** The message of whatever was thrown, for audit records and people (never a stack trace). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
