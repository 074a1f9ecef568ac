// The file `npm run doctor -- --capture FILE` writes and the local tenant can
// answer from (replay): each answer of a read-only call as a scrubbed body, in
// which every value that could identify a person or a tenant is a placeholder.

/** Placeholders that stand for scrubbed values; anything else in a body is kept as captured. */
export const PLACEHOLDERS = {
  address: '<address>',
  guid: '<guid>',
  sid: '<sid>',
  name: '<name>',
  text: '<string>',
  url: '<url>',
  date: '<date>',
} as const;

/** A body that was not JSON (Exchange's 403 of NUL bytes, an HTML error page). */
export interface NonJsonBody {
  $nonJson: { length: number; nul: boolean; html: boolean };
}

export interface CapturedAnswer {
  /** What was asked, e.g. "Get-MailboxPermission" or "GET /users/{id}/manager". */
  call: string;
  /** Route tags of the local tenant the answer stands for; all must match, e.g. ["exchange:Get-Mailbox"]. */
  match: string[];
  status: number;
  /** The headers that matter: retry-after and content-type, when present. */
  headers: Record<string, string>;
  /** The scrubbed body: JSON with placeholders, a non-JSON description, or null for an empty body. */
  body: unknown;
  /** Where a hand-written shape comes from (a public capture or Microsoft docs). */
  source?: string;
}

export interface CaptureFile {
  format: 'custodian-capture/1';
  capturedAt: string;
  /** What produced it: "npm run doctor -- --capture" against a tenant, or "hand-written". */
  origin: string;
  answers: CapturedAnswer[];
  /** Claims of the app's access tokens, scrubbed (not replayed). */
  tokens?: Record<string, unknown>;
}

export function isCaptureFile(value: unknown): value is CaptureFile {
  const v = value as Partial<CaptureFile> | null;
  return !!v && v.format === 'custodian-capture/1' && Array.isArray(v.answers);
}
