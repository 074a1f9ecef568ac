import { randomBytes } from 'node:crypto';
import { compareMailbox, EXPLAINING_STATUSES } from '../../domain/drift-compare';
import type { HeldPermission } from '../../domain/drift-permission';
import { sweepSummary, UNREAD_KEPT, type DriftSweep } from '../../domain/drift-sweep';
import { SYSTEM_ACTOR, type AccessRequest, type Person } from '../../domain/types';
import type { AppContext } from '../context';
import { errorText } from '../../shared/error-text';
import type { FindingCards } from '../ports';
import { allowRecords, sweepRecords } from './drift-records';
import type { DriftSettings } from './drift-settings';
import { readMailboxes, type MailboxRead } from './read-mailboxes';
import { recordFindings } from './record-findings';

export interface SweepProgress {
  sweepId: string;
  startedAt: number;
  inScope: number;
  read: number;
}

export interface SweepControl {
  /** True stops the sweep between mailboxes (shutdown). */
  stopped?: () => boolean;
  onProgress?: (progress: SweepProgress) => void;
}

/** "SWP-20261127-090000-3fa2": time of start plus a random tail, so two instances never collide. */
export function sweepIdFor(now: number): string {
  const d = new Date(now).toISOString();
  return `SWP-${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}-${d.slice(11, 13)}${d.slice(14, 16)}${d.slice(17, 19)}-${randomBytes(2).toString('hex')}`;
}

async function grantsByMailbox(ctx: AppContext): Promise<Map<string, AccessRequest[]>> {
  const byMailbox = new Map<string, AccessRequest[]>();
  for (const grant of await ctx.store.listRequestsByStatus([...EXPLAINING_STATUSES], 100_000)) {
    const box = grant.mailbox.upn.toLowerCase();
    byMailbox.set(box, [...(byMailbox.get(box) ?? []), grant]);
  }
  return byMailbox;
}

/**
 * One sweep: lists the mailboxes in scope, reads each one's permissions with
 * bounded concurrency, compares them with the grants that may hold a
 * permission now (active, granting, revoking) and the allow-list, records the
 * findings, and reports what it covered. The sweep is stored and audited from
 * start to end; mailboxes it could not read are named, never counted as clean.
 */
export async function runSweep(
  ctx: AppContext,
  cards: FindingCards,
  settings: DriftSettings,
  trigger: { kind: DriftSweep['trigger']; by?: Person },
  control: SweepControl = {},
): Promise<DriftSweep> {
  const sweeps = sweepRecords(ctx.store);
  const sweep: DriftSweep = {
    id: sweepIdFor(ctx.clock.now()),
    trigger: trigger.kind,
    ...(trigger.by ? { by: trigger.by } : {}),
    scope: settings.mailboxes ? 'configured' : 'all',
    status: 'running',
    startedAt: ctx.clock.now(),
    instance: ctx.instanceId,
    inScope: 0,
    read: 0,
    unread: [],
    unreadCount: 0,
    findings: { new: 0, reappeared: 0, stillOpen: 0, gone: 0, allowed: 0, explained: 0 },
  };
  await sweeps.insert(sweep.id, sweep);
  await ctx.audit.append({
    type: 'drift.sweep.started',
    actor: trigger.by ?? SYSTEM_ACTOR,
    details: { sweepId: sweep.id, trigger: trigger.kind, scope: sweep.scope },
  });
  try {
    await sweepMailboxes(ctx, cards, settings, sweep, control);
  } catch (error) {
    sweep.status = 'failed';
    sweep.failure = errorText(error);
    ctx.logger.error({ err: error, sweepId: sweep.id }, 'sweep failed');
  }
  sweep.finishedAt = ctx.clock.now();
  await sweeps.mutate(sweep.id, () => ({ ok: true, next: sweep, event: 'drift.sweep.finished' }));
  await ctx.audit.append({
    type: 'drift.sweep.finished',
    actor: SYSTEM_ACTOR,
    details: {
      sweepId: sweep.id,
      status: sweep.status,
      inScope: sweep.inScope,
      read: sweep.read,
      unreadCount: sweep.unreadCount,
      unread: sweep.unread.map((entry) => entry.mailbox),
      findings: sweep.findings,
      ...(sweep.failure ? { error: sweep.failure } : {}),
    },
  });
  await ctx.notifier.tellSecurity('sweep', null, sweepSummary(sweep));
  return sweep;
}

async function sweepMailboxes(
  ctx: AppContext,
  cards: FindingCards,
  settings: DriftSettings,
  sweep: DriftSweep,
  control: SweepControl,
): Promise<void> {
  let mailboxes: string[];
  try {
    mailboxes = settings.mailboxes ?? (await ctx.exchange.listMailboxes());
  } catch (error) {
    throw new Error(`the mailbox list could not be read from Exchange (${errorText(error)})`);
  }
  mailboxes = [...new Set(mailboxes.map((mailbox) => mailbox.trim().toLowerCase()))];
  sweep.inScope = mailboxes.length;
  const grants = await grantsByMailbox(ctx);
  const rules = [...settings.allowRules, ...(await allowRecords(ctx.store).list()).map((stored) => stored.body.rule)];
  const candidates: HeldPermission[] = [];
  const read = new Set<string>();
  const unread: MailboxRead[] = [];
  const progress = { sweepId: sweep.id, startedAt: sweep.startedAt, inScope: sweep.inScope, read: 0 };
  control.onProgress?.(progress);
  await readMailboxes(ctx.exchange, mailboxes, {
    concurrency: settings.concurrency,
    stopped: control.stopped,
    onRead: (result) => {
      if (!result.held) {
        unread.push(result);
        return;
      }
      read.add(result.mailbox.toLowerCase());
      const comparison = compareMailbox(result.held, grants.get(result.mailbox.toLowerCase()) ?? [], rules);
      sweep.findings.explained += comparison.explained;
      sweep.findings.allowed += comparison.allowed;
      candidates.push(...comparison.unexplained);
      progress.read = read.size;
      control.onProgress?.(progress);
    },
  });
  sweep.read = read.size;
  sweep.unreadCount = unread.length;
  sweep.unread = unread
    .slice(0, UNREAD_KEPT)
    .map((entry) => ({ mailbox: entry.mailbox, error: (entry.error ?? 'unknown error').slice(0, 300) }));
  // A grant may have started while the mailboxes were read: judge the candidates against the grants as they are now.
  const fresh = await grantsByMailbox(ctx);
  const unexplained = candidates.filter(
    (permission) => compareMailbox([permission], fresh.get(permission.mailbox) ?? [], rules).unexplained.length > 0,
  );
  sweep.findings.explained += candidates.length - unexplained.length;
  const counts = await recordFindings(ctx, cards, sweep.id, unexplained, read, settings.cardsPerSweep);
  sweep.findings = { ...sweep.findings, ...counts };
  sweep.status = unread.length > 0 ? 'partial' : 'finished';
}
