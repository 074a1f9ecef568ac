import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { SYSTEM_ACTOR, type AuditEvent, type Person } from '../domain/types';
import { silentLogger, type Logger } from '../shared/logger';
import type { AuditAnchor, Store } from '../store/store';
import { AuditLog } from './audit-log';
import { formatRecords, matchingRecords } from './export';
import { RETENTION_EVENT_TYPE, verifyChain } from './verify';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionOptions {
  now: number;
  retentionDays: number;
  exportDir: string;
  logger?: Logger;
  /** Who runs the retention; the system by default. */
  actor?: Person;
}

export interface RetentionResult {
  removed: number;
  exportedTo?: string;
  fromSeq?: number;
  throughSeq?: number;
  anchor?: AuditAnchor;
}

/** Thrown when retention would destroy evidence or could not keep a copy; nothing was removed. */
export class RetentionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetentionError';
  }
}

/**
 * Removes the oldest records once they are older than the retention period:
 * 1. refuses if the chain does not verify (removing records could hide tampering);
 * 2. writes them to a JSON file in exportDir and fsyncs it;
 * 3. appends an "audit.retention" record naming the range, the file and the
 *    hash of the last removed record (this confirms the anchor later);
 * 4. stores the anchor, so verification resumes from the first retained record;
 * 5. deletes them (a rerun finishes this step if it was interrupted).
 * Only the unbroken run of old records at the start of the chain is removed, so
 * the chain never gets holes. A failure before step 5 removes nothing.
 */
export async function applyRetention(store: Store, auditLog: AuditLog | undefined, options: RetentionOptions): Promise<RetentionResult> {
  const logger = options.logger ?? silentLogger;
  if (!Number.isInteger(options.retentionDays) || options.retentionDays < 1) {
    throw new RetentionError(`retentionDays must be a whole number of days of at least 1 (got ${String(options.retentionDays)})`);
  }
  if (!Number.isFinite(options.now)) throw new RetentionError('now must be a time in epoch milliseconds');
  const cutoff = options.now - options.retentionDays * DAY_MS;

  const verified = await verifyChain(store);
  if (!verified.ok) {
    throw new RetentionError(`Retention refused because the audit chain does not verify: ${verified.message} Nothing was removed.`);
  }

  const anchorBefore = await store.getAuditAnchor();
  const leftover = await finishInterruptedRetention(store, anchorBefore, logger);
  const exported = await exportOldRecords(store, anchorBefore?.seq ?? 1, cutoff, options);
  if (!exported) {
    logger.info({ cutoff: new Date(cutoff).toISOString() }, 'audit retention: no records older than the retention period');
    if (leftover > 0 && anchorBefore) {
      return { removed: leftover, exportedTo: anchorBefore.exportedTo, throughSeq: anchorBefore.removedThrough, anchor: anchorBefore };
    }
    return { removed: 0 };
  }

  const log = auditLog ?? new AuditLog(store, { now: () => options.now }, logger);
  await log.append({
    type: RETENTION_EVENT_TYPE,
    actor: options.actor ?? SYSTEM_ACTOR,
    details: {
      removedFrom: exported.fromSeq,
      removedThrough: exported.throughSeq,
      removedCount: exported.count,
      lastRemovedHash: exported.lastHash,
      exportedTo: exported.file,
      retentionDays: options.retentionDays,
      cutoff: new Date(cutoff).toISOString(),
    },
  });

  const anchor: AuditAnchor = {
    seq: exported.throughSeq + 1,
    prevHash: exported.lastHash,
    removedThrough: exported.throughSeq,
    exportedTo: exported.file,
    at: options.now,
  };
  await store.setAuditAnchor(anchor);
  const removed = await store.deleteAuditThrough(exported.throughSeq);
  if (removed !== exported.count) {
    logger.warn({ expected: exported.count, removed }, 'audit retention removed a different number of records than it exported');
  }
  logger.info(
    { removed, fromSeq: exported.fromSeq, throughSeq: exported.throughSeq, exportedTo: exported.file },
    'audit retention: old records exported and removed',
  );
  return { removed: leftover + removed, exportedTo: exported.file, fromSeq: exported.fromSeq, throughSeq: exported.throughSeq, anchor };
}

/**
 * A run that stopped after storing the anchor (so after the export and the
 * retention record) leaves records the anchor already covers; remove them now.
 */
async function finishInterruptedRetention(store: Store, anchor: AuditAnchor | null, logger: Logger): Promise<number> {
  if (!anchor) return 0;
  const [oldest] = await store.listAudit({ limit: 1 });
  if (!oldest || oldest.seq >= anchor.seq) return 0;
  const removed = await store.deleteAuditThrough(anchor.removedThrough);
  logger.info(
    { removed, removedThrough: anchor.removedThrough, exportedTo: anchor.exportedTo },
    'audit retention: finished removing records an interrupted run had already exported',
  );
  return removed;
}

interface ExportedRange {
  file: string;
  fromSeq: number;
  throughSeq: number;
  count: number;
  lastHash: string;
}

/** Writes the leading run of records older than cutoff to a durable file; undefined when there are none. */
async function exportOldRecords(
  store: Store,
  fromSeq: number,
  cutoff: number,
  options: RetentionOptions,
): Promise<ExportedRange | undefined> {
  const dir = path.resolve(options.exportDir);
  const temp = path.join(dir, `.audit-export-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let range: Omit<ExportedRange, 'file'> | undefined;
  async function* oldRecords(): AsyncIterable<AuditEvent> {
    for await (const event of matchingRecords(store, { fromSeq })) {
      if (event.at >= cutoff) return;
      range = { fromSeq: range?.fromSeq ?? event.seq, throughSeq: event.seq, count: (range?.count ?? 0) + 1, lastHash: event.hash };
      yield event;
    }
  }

  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'wx', 0o600);
    try {
      for await (const chunk of formatRecords(oldRecords(), 'json')) await handle.write(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!range) {
      await rm(temp, { force: true });
      return undefined;
    }
    const file = path.join(dir, exportFileName(range.fromSeq, range.throughSeq, options.now));
    await rename(temp, file);
    await syncDirectory(dir);
    return { ...range, file };
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new RetentionError(`Could not write the audit export to ${dir}: ${reason}. Nothing was removed.`);
  }
}

export function exportFileName(fromSeq: number, throughSeq: number, now: number): string {
  const pad = (n: number) => String(n).padStart(9, '0');
  return `audit-${pad(fromSeq)}-${pad(throughSeq)}-${new Date(now).toISOString().slice(0, 10)}.json`;
}

/** Makes the rename durable too; some platforms cannot open a directory, which is fine there. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close();
  }
}
