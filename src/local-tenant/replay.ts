import { PLACEHOLDERS, type CaptureFile, type CapturedAnswer, type NonJsonBody } from './capture-format';
import type { LocalResponse } from './http';

// Answers from a capture file (npm run doctor -- --capture, or a hand-written
// shape of real-tenant.md), so that the connectors meet a real tenant's shapes
// in tests. Placeholders become plain values of the same kind.

export interface ReplayValues {
  /** Stands for every <address> (the service mailbox, so that look-ups agree). */
  address: string;
  /** Stands for <url> (the local tenant's origin). */
  origin: string;
}

const GUID = 'd0000000-0000-4000-8000-000000000001';
const SID = 'S-1-5-21-1000000000-1000000000-1000000000-1001';

export class Replay {
  constructor(
    private readonly capture: CaptureFile,
    private readonly values: ReplayValues,
  ) {}

  /** The captured answer whose tags all match the request's, the most specific first. */
  answerFor(tags: readonly string[]): LocalResponse | undefined {
    const answer = [...this.capture.answers]
      .sort((a, b) => b.match.length - a.match.length)
      .find((a) => a.match.length > 0 && a.match.every((t) => tags.includes(t)));
    return answer ? this.toResponse(answer) : undefined;
  }

  private toResponse(answer: CapturedAnswer): LocalResponse {
    const headers = { ...answer.headers };
    const body = answer.body;
    if (body === null || body === undefined) return { status: answer.status, headers, text: '' };
    const nonJson = (body as Partial<NonJsonBody>).$nonJson;
    if (nonJson) {
      const text = nonJson.nul
        ? '\u0000'.repeat(nonJson.length)
        : nonJson.html
          ? '<html><body>Service unavailable</body></html>'
          : 'x'.repeat(nonJson.length);
      return { status: answer.status, headers, text };
    }
    const { 'content-type': _type, ...rest } = headers;
    return { status: answer.status, headers: rest, json: this.fill(body, '') };
  }

  private fill(value: unknown, key: string): unknown {
    if (typeof value === 'string') return this.fillText(value);
    if (Array.isArray(value)) return value.map((v) => this.fill(v, key));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      // A replayed next-page link would send the client round in circles.
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (k !== '@odata.nextLink') out[k] = this.fill(v, k);
      return out;
    }
    return value;
  }

  private fillText(text: string): string {
    return text
      .split(PLACEHOLDERS.address)
      .join(this.values.address)
      .split(PLACEHOLDERS.guid)
      .join(GUID)
      .split(PLACEHOLDERS.sid)
      .join(SID)
      .split(PLACEHOLDERS.url)
      .join(this.values.origin)
      .split(PLACEHOLDERS.date)
      .join(new Date().toISOString())
      .split(PLACEHOLDERS.name)
      .join('Replayed Name')
      .split(PLACEHOLDERS.text)
      .join('text');
  }
}

export const REPLAY_GUID = GUID;
