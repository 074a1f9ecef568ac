import type { AuditEvent, Person } from '../domain/types';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
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

/**
 * Appends hash-chained audit records. Appends from one instance run one after
 * another; several instances sharing a store race on the unique seq, and the
 * loser re-reads the head and tries again.
 */
export class AuditLog {
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Where this instance's last append left the chain. Trying it first saves
   * reading the head for every record; if another writer moved on, the insert
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

  append(input: AuditInput): Promise<AuditEvent> {
    const run = this.queue.then(() => this.appendNow(input));
    // The queue only orders appends; one failure must not block the next.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appendNow(input: AuditInput): Promise<AuditEvent> {
    const base = this.prepare(input);
    try {
      return await retry(() => this.tryAppend(base), {
        attempts: this.maxAttempts,
        baseDelayMs: 1,
        maxDelayMs: this.maxBackoffMs,
        budgetMs: 120_000,
        isRetryable: (error) => error instanceof DuplicateKeyError,
        onRetry: ({ attempt }) => this.logger.debug({ auditType: base.type, attempt }, 'audit seq taken by another writer; retrying'),
      });
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      throw new Error(`Could not append the audit record "${base.type}": other writers kept taking the next sequence number`);
    }
  }

  /** One attempt: attach to the current head; DuplicateKeyError when another writer got there first. */
  private async tryAppend(base: Omit<AuditEvent, 'seq' | 'at' | 'prevHash' | 'hash'>): Promise<AuditEvent> {
    const head = this.knownHead ?? (await readChainHead(this.store));
    const unsigned: Omit<AuditEvent, 'hash'> = { seq: head.nextSeq, at: this.clock.now(), ...base, prevHash: head.prevHash };
    const event: AuditEvent = { ...unsigned, hash: computeHash(unsigned) };
    this.knownHead = undefined;
    await this.store.appendAudit(event);
    this.knownHead = { nextSeq: event.seq + 1, prevHash: event.hash };
    this.logger.debug({ seq: event.seq, auditType: event.type, requestId: event.requestId }, 'audit record appended');
    return event;
  }

  /** Everything of the record except seq/at/prevHash/hash, validated and cleaned once per append. */
  private prepare(input: AuditInput): Omit<AuditEvent, 'seq' | 'at' | 'prevHash' | 'hash'> {
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
    const out: Omit<AuditEvent, 'seq' | 'at' | 'prevHash' | 'hash'> = { type: input.type, actor, details };
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
