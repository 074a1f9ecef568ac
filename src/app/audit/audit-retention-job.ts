import { applyRetention } from '../../audit/retention';
import type { AuditLog } from '../../audit/audit-log';
import type { AppContext } from '../context';

/** Scheduled retention: records older than the period are exported to a file, then removed; the chain keeps its anchor. */
export async function runAuditRetention(
  ctx: AppContext,
  auditLog: AuditLog,
  retentionDays: number,
  exportDir: string,
  now: number,
): Promise<void> {
  const result = await applyRetention(ctx.store, auditLog, { now, retentionDays, exportDir, logger: ctx.logger });
  ctx.logger.info({ removed: result.removed, exportedTo: result.exportedTo }, 'audit retention ran');
  if (result.removed > 0)
    await ctx.notifier.tellSecurity(
      'summary',
      null,
      `Audit retention: ${result.removed} record(s) older than ${retentionDays} days were exported to ${result.exportedTo} and removed; the chain keeps its anchor and still verifies.`,
    );
}
