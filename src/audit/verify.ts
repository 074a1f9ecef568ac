import type { AuditEvent } from '../domain/types';
import type { AuditAnchor, Store } from '../store/store';
import { computeHash, GENESIS_HASH, hashMatches } from './hash';

export type ChainProblem = 'changed' | 'removed' | 'inserted' | 'reordered' | 'duplicate' | 'anchor';

export type VerifyResult =
  { ok: true; count: number; headSeq: number } | { ok: false; seq: number; problem: ChainProblem; message: string };

export interface VerifyOptions {
  pageSize?: number;
  /** How far from its position a moved record is looked for when naming a reorder. */
  searchWindow?: number;
}

export const RETENTION_EVENT_TYPE = 'audit.retention';

/**
 * Walks the chain from the retention anchor (or genesis) and reports the first
 * record that was changed, removed, inserted or moved. Each record's hash must
 * match its content, its seq must follow the previous one, and its prevHash
 * must equal the previous record's hash. When a check fails, the neighbouring
 * records tell which kind of tampering it was.
 *
 * Not detectable from the chain alone: removing or rewriting the newest
 * records (nothing follows them), or rewriting the whole chain.
 */
export async function verifyChain(store: Store, options: VerifyOptions = {}): Promise<VerifyResult> {
  // Retention may move the anchor while we walk; a problem seen across such a move is re-checked.
  for (let attempt = 0; ; attempt++) {
    const anchor = await store.getAuditAnchor();
    const result = await walk(store, anchor, options);
    if (result.ok || attempt >= 2) return result;
    const anchorNow = await store.getAuditAnchor();
    if (JSON.stringify(anchorNow) === JSON.stringify(anchor)) return result;
  }
}

async function walk(store: Store, anchor: AuditAnchor | null, options: VerifyOptions): Promise<VerifyResult> {
  const window = options.searchWindow ?? 50;
  const reader = new ChainReader(store, anchor?.seq ?? 1, options.pageSize ?? 500);
  const start = anchor?.seq ?? 1;
  let expectedSeq = start;
  let expectedPrev = anchor?.prevHash ?? GENESIS_HASH;
  let previous: AuditEvent | undefined;
  let anchorConfirmed = anchor === null;
  let count = 0;

  for (let record = await reader.next(); record; record = await reader.next()) {
    if (record.seq !== expectedSeq) {
      const next = await reader.peek();
      const validSeq = Number.isSafeInteger(record.seq);
      if (validSeq && next && next.seq < record.seq) {
        return fail(
          expectedSeq,
          'reordered',
          `Records are out of order: record ${record.seq} is stored where record ${expectedSeq} belongs.`,
        );
      }
      if (validSeq && record.seq > expectedSeq) {
        const range = record.seq - expectedSeq === 1 ? `Record ${expectedSeq} is` : `Records ${expectedSeq} to ${record.seq - 1} are`;
        return fail(
          expectedSeq,
          'removed',
          `${range} missing: the chain jumps from ${describePosition(expectedSeq - 1, start)} to record ${record.seq}.`,
        );
      }
      if (previous && record.seq === previous.seq) {
        return fail(record.seq, 'duplicate', `Record ${record.seq} appears twice.`);
      }
      return fail(
        expectedSeq,
        'reordered',
        `Records are out of order: record ${String(record.seq)} is stored where record ${expectedSeq} belongs.`,
      );
    }
    if (hashMatches(record) && record.prevHash === expectedPrev) {
      count++;
      if (!anchorConfirmed && anchor && confirmsAnchor(record, anchor)) anchorConfirmed = true;
      previous = record;
      expectedPrev = record.hash;
      expectedSeq++;
      continue;
    }
    return diagnose(record, previous, await reader.peek(), expectedPrev, start, anchor, window);
  }

  if (anchor && !anchorConfirmed) {
    return fail(
      anchor.seq,
      'anchor',
      `The retention anchor says records up to ${anchor.removedThrough} were removed, but no ${RETENTION_EVENT_TYPE} record in the chain confirms it: records before ${anchor.seq} may have been deleted outside retention.`,
    );
  }
  return { ok: true, count, headSeq: expectedSeq - 1 };
}

/** Names the first tampered record, given the record that failed and its neighbours. */
function diagnose(
  record: AuditEvent,
  previous: AuditEvent | undefined,
  next: AuditEvent | undefined,
  expectedPrev: string,
  start: number,
  anchor: AuditAnchor | null,
  window: number,
): VerifyResult {
  const seq = record.seq;
  if (hashMatches(record)) {
    // The record itself is intact but does not link to what precedes it.
    if (!previous) {
      if (anchor) {
        return fail(
          seq,
          'anchor',
          `Record ${seq} does not link to the retention anchor: the anchor expects previous hash ${short(expectedPrev)} but the record carries ${short(record.prevHash)}.`,
        );
      }
      return fail(
        seq,
        'changed',
        `Record ${seq} does not start the chain: its previous hash should be ${short(GENESIS_HASH)} but is ${short(record.prevHash)}.`,
      );
    }
    if (record.prevHash === previous.prevHash) {
      return fail(
        previous.seq,
        'inserted',
        `Record ${previous.seq} was inserted: record ${seq} links directly to ${describePosition(previous.seq - 1, start)}, skipping it.`,
      );
    }
    return fail(
      previous.seq,
      'changed',
      `Record ${previous.seq} was changed and its hash recomputed (or records after it were removed and the rest renumbered): record ${seq} expects previous hash ${short(record.prevHash)} but record ${previous.seq} has ${short(previous.hash)}.`,
    );
  }

  const original = findOriginalSeq(record, window);
  if (original === undefined) {
    if (next && next.seq === seq + 1 && hashMatchesAt(next, seq) && next.prevHash === expectedPrev) {
      return fail(
        seq,
        'inserted',
        `Record ${seq} was inserted: the record now numbered ${seq + 1} was written as record ${seq} and links to ${describePosition(seq - 1, start)}.`,
      );
    }
    const link = record.prevHash === expectedPrev ? '' : ' (its link to the previous record does not match either)';
    return fail(seq, 'changed', `Record ${seq} was changed: its content no longer matches its hash${link}.`);
  }
  if (original === seq - 1 && previous && record.prevHash === previous.prevHash) {
    return fail(
      previous.seq,
      'inserted',
      `Record ${previous.seq} was inserted: the record now numbered ${seq} was written as record ${previous.seq}, and later records were renumbered.`,
    );
  }
  if (original === seq + 1) {
    if (next && hashMatchesAt(next, seq)) {
      return fail(
        seq,
        'reordered',
        `Records ${seq} and ${seq + 1} were swapped: record ${seq} holds the content written as record ${seq + 1}.`,
      );
    }
    if (record.prevHash !== expectedPrev) {
      return fail(
        seq,
        'removed',
        `Record ${seq} was removed and later records renumbered: the record now numbered ${seq} was written as record ${seq + 1}.`,
      );
    }
  }
  return fail(seq, 'reordered', `Records were reordered: record ${seq} holds the content written as record ${original}.`);
}

function confirmsAnchor(record: AuditEvent, anchor: AuditAnchor): boolean {
  return (
    record.type === RETENTION_EVENT_TYPE &&
    record.details?.removedThrough === anchor.removedThrough &&
    record.details?.lastRemovedHash === anchor.prevHash
  );
}

/** The seq a moved record was written with, found by trying nearby positions. */
function findOriginalSeq(record: AuditEvent, window: number): number | undefined {
  if (!Number.isSafeInteger(record.seq)) return undefined;
  for (let distance = 1; distance <= window; distance++) {
    if (hashMatchesAt(record, record.seq + distance)) return record.seq + distance;
    if (record.seq - distance >= 1 && hashMatchesAt(record, record.seq - distance)) return record.seq - distance;
  }
  return undefined;
}

function hashMatchesAt(record: AuditEvent, seq: number): boolean {
  try {
    return computeHash({ ...record, seq }) === record.hash;
  } catch {
    return false;
  }
}

function describePosition(seq: number, start: number): string {
  return seq < start ? 'the start of the chain' : `record ${seq}`;
}

function short(hash: string): string {
  return typeof hash === 'string' && hash.length > 16 ? `${hash.slice(0, 12)}…` : String(hash);
}

function fail(seq: number, problem: ChainProblem, message: string): VerifyResult {
  return { ok: false, seq, problem, message };
}

/** Reads the chain in pages, with one record of look-ahead. */
class ChainReader {
  private buffer: AuditEvent[] = [];
  private nextFrom: number;
  private exhausted = false;

  constructor(
    private readonly store: Store,
    fromSeq: number,
    private readonly pageSize: number,
  ) {
    this.nextFrom = fromSeq;
  }

  async next(): Promise<AuditEvent | undefined> {
    await this.fill();
    return this.buffer.shift();
  }

  async peek(): Promise<AuditEvent | undefined> {
    await this.fill();
    return this.buffer[0];
  }

  private async fill(): Promise<void> {
    if (this.buffer.length > 0 || this.exhausted) return;
    const page = await this.store.listAudit({ fromSeq: this.nextFrom, limit: this.pageSize });
    if (page.length < this.pageSize) this.exhausted = true;
    if (page.length === 0) return;
    // An intact chain has no holes, so the next page starts page.length further on.
    // A record's own seq is not used: a moved record would make the walk skip one.
    this.nextFrom += page.length;
    this.buffer = page;
  }
}
