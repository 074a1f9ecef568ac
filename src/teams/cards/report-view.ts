import type { MonthReport } from '../../app/audit/month-report';
import { cardFigures } from '../../audit/report/headline';
import { reportCommand } from '../../audit/report/month-period';

// Data for bot/cards/report.json: the headline figures of a month and how to get the full report.

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function reportCardData({ period, report, monthlyFile }: MonthReport) {
  const verified = report.chain.verified;
  return {
    title: `Mailbox access in ${period.month}`,
    subtitle: `${day(period.from)} to ${day(period.to - 1)} (UTC), from the audit trail`,
    chain: verified
      ? '✔ Audit chain verified'
      : `⚠ Audit chain NOT verified at record ${report.chain.failure?.seq}: these figures may rest on altered records`,
    chainColor: verified ? 'Good' : 'Attention',
    facts: cardFigures(report),
    command: reportCommand(period),
    monthly: monthlyFile ? `The monthly report is also written to ${monthlyFile} on the first of the next month.` : '',
  };
}
