import { formatMinutes, percent } from './findings';
import type { AuditReport } from './report-types';

export interface HeadlineFigure {
  label: string;
  value: string;
}

/** The few figures shown first: at the top of the report and on the Teams cards. */
export function headlineFigures(report: AuditReport): HeadlineFigure[] {
  const { grants, highImpact, timing, revocation, refusals, reviews, drift } = report.figures;
  return [
    { label: 'Grants', value: String(grants.total) },
    { label: 'High-impact', value: grants.total === 0 ? '0' : `${highImpact.highImpact} (${percent(highImpact.share)})` },
    { label: 'Median time to decision', value: formatMinutes(timing.toDecision.medianMinutes) },
    { label: 'Longest revocation lag', value: formatMinutes(revocation.lag.maxMinutes) },
    { label: 'Manual-action revocations', value: String(revocation.manualAction.length) },
    { label: 'Refusals', value: String(refusals.total) },
    { label: 'Reviewed / marked', value: `${reviews.reviewed} / ${reviews.marked}` },
    { label: 'Drift findings still open', value: String(drift.stillOpen) },
  ];
}

/** One line about the audit chain, for the top of every rendering. */
export function chainSentence(report: AuditReport): string {
  const { chain } = report;
  if (chain.failure) {
    const where = chain.failure.inPeriod ? 'inside this period' : 'outside this period';
    return `Audit chain NOT verified: record ${chain.failure.seq} (${where}) is ${chain.failure.problem}. ${chain.failure.message}`;
  }
  if (chain.records === 0) return `Audit chain verified (${chain.chainRecords} records); this period holds no records.`;
  return `Audit chain verified: records ${chain.firstSeq} to ${chain.lastSeq} of this period are intact and linked (${chain.chainRecords} records checked in all).`;
}

/** The headline figures with the chain's state first, as the Teams cards show them. */
export function cardFigures(report: AuditReport): HeadlineFigure[] {
  const { chain } = report;
  const state = chain.failure
    ? `NOT verified: record ${chain.failure.seq} is ${chain.failure.problem}`
    : `verified (${chain.records} records in the period)`;
  return [{ label: 'Audit chain', value: state }, ...headlineFigures(report)];
}
