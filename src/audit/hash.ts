import { createHash } from 'node:crypto';
import type { AuditEvent } from '../domain/types';

/** prevHash of the very first record of a chain that never had retention applied. */
export const GENESIS_HASH = '0'.repeat(64);

/** Thrown when a value cannot be serialised canonically (e.g. NaN, a function, a Date). */
export class CanonicalFormError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalFormError';
  }
}

/**
 * Deterministic JSON: object keys sorted (by UTF-16 code units) at every level,
 * keys whose value is undefined left out, numbers in JavaScript's shortest
 * round-trip form (so -0 becomes 0). Only JSON values are accepted, because
 * anything else would not survive a round trip through both stores unchanged.
 */
export function canonicalize(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalFormError(`${path} is not a finite number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => (item === undefined ? 'null' : write(item, `${path}[${i}]`))).join(',')}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalFormError(`${path} is not a plain object`);
      }
      const record = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const item = record[key];
        if (item === undefined) continue;
        parts.push(`${JSON.stringify(key)}:${write(item, `${path}.${key}`)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new CanonicalFormError(`${path} has a value of type ${typeof value}, which audit records cannot hold`);
  }
}

/**
 * The hashed content of a record: every AuditEvent field except `hash`.
 * Fields are picked by name so that store bookkeeping (such as MongoDB's _id)
 * never enters the hash; an optional field that a store hands back as null is
 * treated as absent, as it was when the record was written.
 */
export function auditContent(event: Omit<AuditEvent, 'hash'>): Record<string, unknown> {
  const actor = event.actor as Partial<AuditEvent['actor']> | null | undefined;
  return {
    seq: event.seq,
    at: event.at,
    type: event.type,
    actor:
      actor && typeof actor === 'object'
        ? { aadObjectId: actor.aadObjectId, name: actor.name ?? undefined, upn: actor.upn ?? undefined }
        : actor,
    requestId: event.requestId ?? undefined,
    ticket: event.ticket ?? undefined,
    mailbox: event.mailbox ?? undefined,
    jurisdiction: event.jurisdiction ?? undefined,
    details: event.details,
    prevHash: event.prevHash,
  };
}

/** SHA-256 (hex) over the canonical content, which includes prevHash: this is what links the chain. */
export function computeHash(event: Omit<AuditEvent, 'hash'>): string {
  return createHash('sha256')
    .update(canonicalize(auditContent(event)), 'utf8')
    .digest('hex');
}

/** True when the stored hash matches the content; false also for content that cannot be serialised. */
export function hashMatches(event: AuditEvent): boolean {
  try {
    return computeHash(event) === event.hash;
  } catch (error) {
    if (error instanceof CanonicalFormError) return false;
    throw error;
  }
}
