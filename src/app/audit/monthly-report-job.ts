import { join } from 'node:path';
import { buildReport } from '../../audit/report/build-report';
import { chainSentence, headlineFigures } from '../../audit/report/headline';
import { lastMonth } from '../../audit/report/month-period';
import { reportDocument } from '../../audit/report/report-output';
import { SYSTEM_ACTOR } from '../../domain/types';
import { writeFileIntoFolder } from '../../shared/atomic-file';
import type { AppContext } from '../context';

export interface ReportSettings {
  /** Named at the top of every report. */
  tenant: string;
  /** Folder of the monthly files; none are written when absent. */
  dir?: string;
}

/** 06:00 UTC on the first of each month: the month before is complete by then. */
export const MONTHLY_REPORT_CRON = '0 6 1 * *';

export function monthlyReportFiles(dir: string, month: string): { html: string; json: string } {
  return { html: join(dir, `custodian-report-${month}.html`), json: join(dir, `custodian-report-${month}.json`) };
}

/**
 * The scheduled monthly report: the previous calendar month as HTML and JSON
 * in the configured folder, recorded in the trail and announced to the
 * security team. Runs once per firing across instances (PeriodicJobs).
 */
export async function writeMonthlyReport(ctx: AppContext, settings: ReportSettings & { dir: string }, firedAt: number): Promise<void> {
  const period = lastMonth(firedAt);
  const report = await buildReport(ctx.store, { from: period.from, to: period.to, tenant: settings.tenant, now: ctx.clock.now() });
  const files = monthlyReportFiles(settings.dir, period.month);
  await writeFileIntoFolder(files.html, [await reportDocument(report, 'html')]);
  await writeFileIntoFolder(files.json, [await reportDocument(report, 'json')]);
  await ctx.audit.append({
    type: 'report.written',
    actor: SYSTEM_ACTOR,
    details: {
      month: period.month,
      files: [files.html, files.json],
      records: report.chain.records,
      firstSeq: report.chain.firstSeq,
      lastSeq: report.chain.lastSeq,
      chainVerified: report.chain.verified,
      failedSeq: report.chain.failure?.seq,
    },
  });
  const figures = headlineFigures(report)
    .map((figure) => `${figure.label}: ${figure.value}`)
    .join('; ');
  await ctx.notifier.tellSecurity(
    'summary',
    null,
    `Monthly audit report for ${period.month} written to ${files.html} (and .json). ${chainSentence(report)} ${figures}.`,
  );
}
