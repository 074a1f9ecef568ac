/** Human-readable request IDs: CUS-<year>-<number, at least 4 digits>. */

export const REQUEST_ID_PATTERN = /^CUS-\d{4}-\d{4,}$/;

export function formatRequestId(year: number, sequence: number): string {
  return `CUS-${year}-${String(sequence).padStart(4, '0')}`;
}

export function isRequestId(text: string): boolean {
  return REQUEST_ID_PATTERN.test(text.trim().toUpperCase());
}

export function normaliseRequestId(text: string): string {
  return text.trim().toUpperCase();
}

/** Counter name per year, so numbering restarts each year. */
export function requestCounterName(year: number): string {
  return `request-${year}`;
}
