import { randomUUID } from 'node:crypto';
import { classifyAdminRecord, TRACED_OPERATIONS, type MailboxChange } from '../../domain/admin-change';
import { grantHeldAt, nonOwnerAccess, spansByGrantee, traceChange, type GrantSpan, type MailboxAccess } from '../../domain/change-trace';
import type { TraceFinding } from '../../domain/trace-finding';
import { SYSTEM_ACTOR } from '../../domain/types';
import type { AuditRecordSearch, UnifiedAuditRecord } from '../../m365/audit-records';
import { DuplicateKeyError } from '../../store/store';
import type { AppContext } from '../context';
import { followRemovals } from './follow-removals';
import { loadGrantSpans, mailboxesOfJurisdiction } from './grant-spans';
import { coveredWindows, traceFindingIdFor, traceFindingRecords, type TraceCards } from './trace-records';
import type { TraceSettings } from './trace-settings';

export interface TraceDeps {
  search: AuditRecordSearch;
  cards: TraceCards;
  sleep: (ms: number) => Promise<void>;
}

/** What one part of a run (admin changes, or mailbox access) did. */
export interface PartOutcome {
  status: 'done' | 'failed' | 'stopped-early';
  from: number;
  to: number;
  records: number;
  /** New findings (alerts raised). */
  raised: number;
  /** Findings already raised by an earlier run (overlapping windows, a restart). */
  known: number;
  traced: number;
  error?: string;
}

export interface TraceRun {
  runId: string;
  admin: PartOutcome;
  access: PartOutcome | null;
}

/** What each part of a run works with. */
interface RunPart {
  ctx: AppContext;
  deps: TraceDeps;
  settings: TraceSettings;
  runId: string;
  spans: Map<string, GrantSpan[]>;
  now: number;
}

const ADMIN_WINDOW = 'admin-audit';
const ACCESS_WINDOW = 'mailbox-access';
const ITEM_RECORD_TYPES = ['exchangeItem', 'exchangeItemGroup', 'exchangeItemAggregated'];

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The window to search: from the covered time minus the lateness allowance (first run: the allowance) up to now. */
async function windowFor(ctx: AppContext, name: string, settings: TraceSettings, now: number): Promise<{ from: number; covered: number }> {
  const stored = await coveredWindows(ctx.store).get(name);
  const covered = stored?.body.coveredUntil ?? now;
  return { from: Math.min(covered, now) - settings.lateMs, covered };
}

async function storeCovered(ctx: AppContext, name: string, until: number, runId: string): Promise<void> {
  const repo = coveredWindows(ctx.store);
  const body = { coveredUntil: until, lastRunId: runId, lastRunAt: ctx.clock.now() };
  const existing = await repo.get(name);
  if (!existing) {
    try {
      await repo.insert(name, body);
      return;
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
    }
  }
  // Never move backwards: another instance (or a later run) may have covered more.
  await repo.mutate(name, (current) =>
    current.coveredUntil >= until
      ? { ok: false, refusal: { code: 'not-open', message: 'already covered' } }
      : { ok: true, next: body, event: 'trace.window.covered' },
  );
}

/** The search, tried settings.attempts times; each failure is logged, the last one is returned. */
async function searchWithRetry(
  ctx: AppContext,
  deps: TraceDeps,
  settings: TraceSettings,
  query: Parameters<AuditRecordSearch['searchRecords']>[0],
): Promise<{ records: UnifiedAuditRecord[]; truncated: boolean } | { unavailable: string }> {
  let last: { unavailable: string } = { unavailable: 'not tried' };
  for (let attempt = 1; attempt <= Math.max(1, settings.attempts); attempt++) {
    const result = await deps.search.searchRecords(query);
    if (!('unavailable' in result)) return result;
    last = result;
    ctx.logger.warn({ attempt, reason: result.unavailable }, 'audit search for the correlation failed');
    if (attempt < settings.attempts) await deps.sleep(settings.retryDelayMs);
  }
  return last;
}

/** Stores a new finding and posts its card; false when the record was already a finding. */
async function raise(ctx: AppContext, deps: TraceDeps, finding: TraceFinding): Promise<boolean> {
  const repo = traceFindingRecords(ctx.store);
  try {
    await repo.insert(finding.id, finding);
  } catch (error) {
    if (error instanceof DuplicateKeyError) return false;
    throw error;
  }
  const subject = finding.change ?? finding.access;
  await ctx.audit.append({
    type: `trace.finding.${finding.kind}`,
    actor: SYSTEM_ACTOR,
    requestId: finding.requestId,
    mailbox: finding.change?.mailbox ?? finding.access?.mailbox,
    details: {
      findingId: finding.id,
      recordId: subject?.recordId,
      reason: finding.reason,
      ...(finding.change ? { change: finding.change } : {}),
      ...(finding.access ? { access: finding.access } : {}),
    },
  });
  const posted = await deps.cards.postTraceFinding(finding).catch((error: unknown) => {
    ctx.logger.error({ err: error, findingId: finding.id }, 'trace finding card could not be posted');
    return undefined;
  });
  if (posted) await repo.mutate(finding.id, (current) => ({ ok: true, next: { ...current, card: posted }, event: 'trace.card.posted' }));
  return true;
}

async function reportFailure(ctx: AppContext, runId: string, part: string, outcome: PartOutcome): Promise<void> {
  await ctx.audit.append({
    type: 'trace.search-failed',
    actor: SYSTEM_ACTOR,
    details: { runId, part, from: outcome.from, to: outcome.to, reason: outcome.error },
  });
  await ctx.notifier.tellSecurity(
    'trace',
    null,
    `The audit search for ${part} from ${iso(outcome.from)} to ${iso(outcome.to)} failed: ${outcome.error} The covered time was not moved; the next run searches this window again.`,
  );
}

async function correlateChanges({ ctx, deps, settings, runId, spans, now }: RunPart): Promise<PartOutcome> {
  const { from } = await windowFor(ctx, ADMIN_WINDOW, settings, now);
  const outcome: PartOutcome = { status: 'done', from, to: now, records: 0, raised: 0, known: 0, traced: 0 };
  const result = await searchWithRetry(ctx, deps, settings, {
    from,
    to: now,
    recordTypes: ['exchangeAdmin'],
    operations: TRACED_OPERATIONS,
    maxRecords: settings.maxRecords,
  });
  if ('unavailable' in result) return { ...outcome, status: 'failed', error: result.unavailable };
  const records = [...result.records].sort((a, b) => a.at - b.at);
  outcome.records = records.length;
  for (const record of records) {
    for (const change of classifyAdminRecord(record)) {
      const verdict = traceChange(change, spans, settings.appId);
      if (verdict.traced) {
        outcome.traced++;
        continue;
      }
      const finding = changeFinding(change, verdict.mismatch, verdict.reason, verdict.requestId, runId, ctx.clock.now());
      if (await raise(ctx, deps, finding)) outcome.raised++;
      else outcome.known++;
    }
  }
  // A truncated answer covers only up to its last record: the rest is searched next time.
  const until = result.truncated && records.length ? records[records.length - 1].at : now;
  if (result.truncated) outcome.status = 'stopped-early';
  await storeCovered(ctx, ADMIN_WINDOW, until, runId);
  outcome.to = until;
  return outcome;
}

function changeFinding(
  change: MailboxChange,
  mismatch: boolean,
  reason: string,
  requestId: string | undefined,
  runId: string,
  now: number,
): TraceFinding {
  return {
    id: traceFindingIdFor(change.id),
    kind: mismatch ? 'mismatch' : 'untraced',
    status: 'open',
    change,
    reason,
    ...(requestId ? { requestId } : {}),
    foundAt: now,
    runId,
  };
}

function accessFinding(access: MailboxAccess, runId: string, now: number): TraceFinding {
  return {
    id: traceFindingIdFor(access.recordId),
    kind: 'access-without-grant',
    status: 'open',
    access,
    reason: `${access.actor} opened ${access.mailbox} (${access.logon} logon, ${access.operation}) without a Custodian grant on it at that time.`,
    foundAt: now,
    runId,
  };
}

async function inScope(ctx: AppContext, settings: TraceSettings): Promise<((mailbox: string) => boolean) | null> {
  const watch = settings.accessWatch;
  if (watch.kind === 'off') return null;
  if (watch.kind === 'all') return () => true;
  const set =
    watch.kind === 'list' ? new Set(watch.mailboxes.map((m) => m.toLowerCase())) : await mailboxesOfJurisdiction(ctx.store, watch.code);
  return (mailbox) => set.has(mailbox);
}

async function checkAccess({ ctx, deps, settings, runId, spans, now }: RunPart): Promise<PartOutcome | null> {
  const watched = await inScope(ctx, settings);
  if (!watched) return null;
  const { from } = await windowFor(ctx, ACCESS_WINDOW, settings, now);
  const outcome: PartOutcome = { status: 'done', from, to: now, records: 0, raised: 0, known: 0, traced: 0 };
  const result = await searchWithRetry(ctx, deps, settings, {
    from,
    to: now,
    recordTypes: ITEM_RECORD_TYPES,
    maxRecords: settings.maxRecords,
  });
  if ('unavailable' in result) return { ...outcome, status: 'failed', error: result.unavailable };
  const records = [...result.records].sort((a, b) => a.at - b.at);
  let until = result.truncated && records.length ? records[records.length - 1].at : now;
  if (result.truncated) outcome.status = 'stopped-early';
  for (const record of records) {
    const access = nonOwnerAccess(record);
    outcome.records++;
    if (!access || !watched(access.mailbox)) continue;
    if (grantHeldAt(access, spans)) {
      outcome.traced++;
      continue;
    }
    if (outcome.raised >= settings.maxAccessAlerts) {
      // Bounded volume: stop before this record; the next run starts here (known findings are not raised twice).
      outcome.status = 'stopped-early';
      outcome.records--;
      until = record.at;
      break;
    }
    if (await raise(ctx, deps, accessFinding(access, runId, ctx.clock.now()))) outcome.raised++;
    else outcome.known++;
  }
  await storeCovered(ctx, ACCESS_WINDOW, until, runId);
  outcome.to = until;
  if (outcome.status === 'stopped-early') {
    await ctx.notifier.tellSecurity(
      'trace',
      null,
      `Access without a grant: this run stopped early after ${outcome.raised} alert(s) (at most ${settings.maxAccessAlerts} per run, or the search returned its maximum of ${settings.maxRecords} records). Records from ${iso(until)} on are checked by the next run.`,
    );
  }
  return outcome;
}

/**
 * One firing of the admin-audit correlation: searches the unified audit log
 * for changes to mailbox access and for non-owner access to watched
 * mailboxes, over a window that reaches back `lateMs` before the time the
 * previous run covered (late records are found; records seen twice are one
 * finding, by record ID), and raises a finding with a card for everything no
 * approved request explains. A failed search is retried, reported and leaves
 * the covered time where it was.
 */
export async function runCorrelation(ctx: AppContext, deps: TraceDeps, settings: TraceSettings): Promise<TraceRun> {
  const runId = `TRACE-${randomUUID().slice(0, 8)}`;
  const now = ctx.clock.now();
  const spans = spansByGrantee(await loadGrantSpans(ctx.store));
  await followRemovals(ctx, deps.cards);
  const part: RunPart = { ctx, deps, settings, runId, spans, now };
  const admin = await correlateChanges(part);
  if (admin.status === 'failed') await reportFailure(ctx, runId, 'changes to mailbox access', admin);
  const access = await checkAccess(part);
  if (access?.status === 'failed') await reportFailure(ctx, runId, 'access without a grant', access);
  await ctx.audit.append({ type: 'trace.run', actor: SYSTEM_ACTOR, details: { runId, admin, access } });
  return { runId, admin, access };
}
