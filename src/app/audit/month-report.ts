import { buildReport } from '../../audit/report/build-report';
import { parseMonth, type MonthPeriod } from '../../audit/report/month-period';
import type { AuditReport } from '../../audit/report/report-types';
import { ROLE_SECURITY } from '../../domain/policy';
import type { Person } from '../../domain/types';
import type { AppContext } from '../context';
import { monthlyReportFiles, type ReportSettings } from './monthly-report-job';

export interface MonthReport {
  period: MonthPeriod;
  report: AuditReport;
  /** Where the scheduled monthly file of this month is (or will be) written, when a folder is configured. */
  monthlyFile?: string;
}

/**
 * "report [last month|YYYY-MM]": the month's figures from the audit trail,
 * for the security role only; refusals are audited, and so is every report given.
 */
export async function monthReport(
  ctx: AppContext,
  viewer: Person,
  settings: ReportSettings,
  monthText: string,
): Promise<{ ok: true; value: MonthReport } | { ok: false; message: string }> {
  if (!(await ctx.roles.hasRole(viewer, ROLE_SECURITY))) {
    await ctx.audit.append({ type: 'refused.report', actor: viewer, details: { month: monthText, reason: 'not in the security role' } });
    return { ok: false, message: 'Only members of the security role can see the audit report.' };
  }
  const now = ctx.clock.now();
  const period = parseMonth(monthText, now);
  if (!period)
    return {
      ok: false,
      message: `"${monthText.slice(0, 40)}" is not a month that has begun: say "report", "report last month" or "report 2026-11".`,
    };
  const report = await buildReport(ctx.store, { from: period.from, to: period.to, tenant: settings.tenant, now });
  await ctx.audit.append({
    type: 'report.queried',
    actor: viewer,
    details: {
      month: period.month,
      records: report.chain.records,
      chainVerified: report.chain.verified,
      failedSeq: report.chain.failure?.seq,
    },
  });
  return {
    ok: true,
    value: { period, report, monthlyFile: settings.dir ? monthlyReportFiles(settings.dir, period.month).html : undefined },
  };
}
