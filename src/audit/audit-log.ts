import type { AuditEvent, Person } from '../domain/types';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { BatchQueue, type Pending } from '../shared/batch-queue';
import { retry } from '../shared/retry';
import { DuplicateKeyError, type Store } from '../store/store';
import { sanitiseDetails } from './details';
import { computeHash, GENESIS_HASH } from './hash';

export interface AuditInput {
  type: string;
  actor: Person;
  requestId?: string;
  ticket?: string;
  mailbox?: string;
  jurisdiction?: string;
  details?: Record<string, unknown>;
}

/** Thrown for an audit input that cannot be recorded as given (empty type, actor without ID). */
export class AuditInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditInputError';
  }
}

/** Where the next record attaches: its seq and the prevHash it must carry. */
export interface ChainHead {
  nextSeq: number;
  prevHash: string;
}

export interface AuditLogOptions {
  /** How often to retry when another instance took the next seq first. */
  maxAttempts?: number;
  /** Upper bound of the wait between attempts, in milliseconds. */
  maxBackoffMs?: number;
}

/** Most records written in one store call. */
const MAX_BATCH = 200;

type UnsignedBase = Omit<AuditEvent, 'seq' | 'at' | 'prevHash' | 'hash'>;

type Waiting = Pending<UnsignedBase, AuditEvent>;

/**
 * Appends hash-chained audit records. Appends from one instance are chained
 * one after another, and those that arrive while a write is under way go
 * together in the next write (group commit), so a burst of state changes
 * costs a few store calls, not one each. Several instances sharing a store
 * race on the unique seq; the loser re-reads the head and chains what is
 * left onto it.
 */
export class AuditLog {
  // The first append goes at once, on its own; what arrives while a write is under way goes in the next.
  private readonly queue = new BatchQueue<UnsignedBase, AuditEvent>((batch) => this.write(batch), {
    maxBatch: MAX_BATCH,
    startAtOnce: true,
  });
  /**
   * Where this instance's last append left the chain. Trying it first saves
   * reading the head for every write; if another writer moved on, the insert
   * collides on seq and the head is read again.
   */
  private knownHead: ChainHead | undefined;
  private readonly maxAttempts: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: AuditLogOptions = {},
  ) {
    // Several busy instances can keep one writer a step behind for a while: keep trying, with longer pauses, rather than lose a record.
    this.maxAttempts = options.maxAttempts ?? 2_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 200;
  }

  /** Resolves with the stored record once it is in the store. */
  append(input: AuditInput): Promise<AuditEvent> {
    let base: UnsignedBase;
    try {
      base = this.prepare(input);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.queue.add(base);
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      await this.appendInOrder(batch);
    } catch (error) {
      const open = batch.filter((waiting) => !waiting.settled);
      if (open.length === 1) throw error;
      // One failure must not be charged to the others: each record on its own.
      for (const waiting of open) await this.appendInOrder([waiting]).catch((single: unknown) => waiting.reject(single));
    }
  }

  /** Chains the batch onto the head and stores it; on seq conflicts, what is left goes onto the new head. */
  private async appendInOrder(batch: Waiting[]): Promise<void> {
    let rest = batch;
    try {
      await retry(
        async () => {
          rest = rest.slice(await this.tryAppend(rest));
          if (rest.length > 0) throw new DuplicateKeyError(`audit seq taken by another writer (${rest.length} records left)`);
        },
        {
          attempts: this.maxAttempts,
          baseDelayMs: 1,
          maxDelayMs: this.maxBackoffMs,
          budgetMs: 120_000,
          isRetryable: (error) => error instanceof DuplicateKeyError,
          onRetry: ({ attempt }) =>
            this.logger.debug({ auditType: rest[0]?.item.type, attempt }, 'audit seq taken by another writer; retrying'),
        },
      );
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      const failure = new Error(
        `Could not append the audit record "${rest[0].item.type}": other writers kept taking the next sequence number`,
      );
      for (const waiting of rest) waiting.reject(failure);
    }
  }

  /** One store call: chains `batch` onto the current head; returns how many were stored (and settled). */
  private async tryAppend(batch: Waiting[]): Promise<number> {
    let head = this.knownHead ?? (await readChainHead(this.store));
    const events = batch.map(({ item: base }) => {
      const unsigned: Omit<AuditEvent, 'hash'> = { seq: head.nextSeq, at: this.clock.now(), ...base, prevHash: head.prevHash };
      const event: AuditEvent = { ...unsigned, hash: computeHash(unsigned) };
      head = { nextSeq: event.seq + 1, prevHash: event.hash };
      return event;
    });
    this.knownHead = undefined;
    const stored = await this.store.appendAuditBatch(events);
    if (stored > 0) {
      const last = events[stored - 1];
      this.knownHead = { nextSeq: last.seq + 1, prevHash: last.hash };
    }
    for (let index = 0; index < stored; index++) {
      this.logger.debug(
        { seq: events[index].seq, auditType: events[index].type, requestId: events[index].requestId },
        'audit record appended',
      );
      batch[index].resolve(events[index]);
    }
    return stored;
  }

  /** Everything of the record except seq/at/prevHash/hash, validated and cleaned once per append. */
  private prepare(input: AuditInput): UnsignedBase {
    if (typeof input.type !== 'string' || input.type.trim() === '') {
      throw new AuditInputError('Audit record type must be a non-empty string');
    }
    if (!input.actor || typeof input.actor.aadObjectId !== 'string' || input.actor.aadObjectId === '') {
      throw new AuditInputError(`Audit record "${input.type}" needs an actor with an aadObjectId`);
    }
    const { details, stripped } = sanitiseDetails(input.details);
    if (stripped.length > 0) {
      this.logger.warn({ auditType: input.type, removedKeys: stripped }, 'secret-looking keys removed from audit details');
    }
    const actor: Person = { aadObjectId: input.actor.aadObjectId };
    if (input.actor.name != null) actor.name = String(input.actor.name);
    if (input.actor.upn != null) actor.upn = String(input.actor.upn);
    const out: UnsignedBase = { type: input.type, actor, details };
    if (input.requestId != null) out.requestId = input.requestId;
    if (input.ticket != null) out.ticket = input.ticket;
    if (input.mailbox != null) out.mailbox = input.mailbox;
    if (input.jurisdiction != null) out.jurisdiction = input.jurisdiction;
    return out;
  }
}

/**
 * The newest record, or - when retention removed everything before it - the
 * anchor left behind, or the genesis position of an empty chain.
 */
export async function readChainHead(store: Store): Promise<ChainHead> {
  const [last, anchor] = await Promise.all([store.lastAudit(), store.getAuditAnchor()]);
  if (last && (!anchor || last.seq >= anchor.seq - 1)) return { nextSeq: last.seq + 1, prevHash: last.hash };
  if (anchor) return { nextSeq: anchor.seq, prevHash: anchor.prevHash };
  return { nextSeq: 1, prevHash: GENESIS_HASH };
}
