import type { Distribution, ReportFigures } from './report-types';

// Chart titles that state the finding in words; a neutral title where the numbers show no clear finding.

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** "45 s", "12 min", "3.5 h", "2.1 days". */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return '–';
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes < 1440) return `${trim(minutes / 60)} h`;
  return `${trim(minutes / 1440)} days`;
}

function trim(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function grantsByRequesterTitle(figures: ReportFigures): string {
  const { total, byRequester } = figures.grants;
  if (total === 0) return 'No grants in this period';
  if (byRequester.length === 1) return `One requester received all ${plural(total, 'grant')}`;
  const top = byRequester.slice(0, Math.min(3, byRequester.length - 1));
  const share = top.reduce((acc, row) => acc + row.count, 0) / total;
  if (share < 0.5) return `${plural(total, 'grant')} spread over ${byRequester.length} requesters`;
  return `${top.length === 1 ? 'One requester' : `${top.length} requesters`} received ${percent(share)} of the ${plural(total, 'grant')}`;
}

export function grantsByWeekTitle(figures: ReportFigures): string {
  const { total, byWeekAndAccess } = figures.grants;
  if (total === 0) return 'No grants in this period';
  const full = byWeekAndAccess.filter((row) => row.access === 'FullAccess').reduce((acc, row) => acc + row.count, 0);
  return `${plural(total, 'grant')}; ${full === 0 ? 'none' : `${full} (${percent(full / total)})`} with FullAccess`;
}

export function jurisdictionTitle(figures: ReportFigures): string {
  const { total, byJurisdiction } = figures.grants;
  if (total === 0) return 'No grants in this period';
  const [top] = byJurisdiction;
  if (byJurisdiction.length === 1) return `Every grant was under ${top.label}`;
  return `Most grants were under ${top.label} (${top.count} of ${total})`;
}

export function highImpactTitle(figures: ReportFigures): string {
  const { grants, highImpact, share } = figures.highImpact;
  if (grants === 0) return 'No grants in this period';
  return `${highImpact} of ${plural(grants, 'grant')} (${percent(share)}) were high-impact`;
}

export function timingTitle(figures: ReportFigures): string {
  const { toDecision, toGrant } = figures.timing;
  if (toDecision.count === 0 && toGrant.count === 0) return 'No requests decided in this period';
  const parts: string[] = [];
  if (toDecision.count > 0) parts.push(`half the requests were decided within ${formatMinutes(toDecision.medianMinutes)}`);
  if (toGrant.count > 0) parts.push(`9 in 10 grants were in place within ${formatMinutes(toGrant.p90Minutes)}`);
  return capitalise(parts.join('; '));
}

export function usageTitle(figures: ReportFigures): string {
  const { ended, endedEarly, medianShareUsed } = figures.usage;
  if (ended === 0) return 'No grants ended in this period';
  const used = medianShareUsed === null ? '' : `; the typical grant was held for ${percent(medianShareUsed)} of the time asked for`;
  return `${endedEarly} of ${plural(ended, 'grant')} ended early${used}`;
}

export function revocationTitle(figures: ReportFigures): string {
  const { expiredRevoked, lag, manualAction } = figures.revocation;
  const manual = manualAction.length === 0 ? '' : `; ${plural(manualAction.length, 'grant')} needed manual action`;
  if (expiredRevoked === 0) return `No expired grants were revoked in this period${manual}`;
  return `${expiredRevoked === 1 ? 'The expired grant was' : `All ${expiredRevoked} expired grants were`} removed within ${formatMinutes(lag.maxMinutes)} of expiry${manual}`;
}

export function refusalsTitle(figures: ReportFigures): string {
  const { total, byKind } = figures.refusals;
  if (total === 0) return 'Nothing was refused in this period';
  const [top] = byKind;
  return `${plural(total, 'refusal')}; the most common: ${top.label} (${top.count})`;
}

export function reviewsTitle(figures: ReportFigures): string {
  const { reviews, marked, reviewed, escalated } = figures.reviews;
  if (reviews === 0 && reviewed === 0) return 'No access reviews in this period';
  return `${reviewed} of ${plural(marked, 'marked grant')} reviewed; ${escalated} escalated`;
}

export function driftTitle(figures: ReportFigures): string {
  const { opened, reappeared, stillOpen, sweeps } = figures.drift;
  if (opened + reappeared === 0)
    return sweeps === 0 ? 'No drift sweeps in this period' : `${plural(sweeps, 'sweep')} found no permissions outside Custodian`;
  return `${plural(opened + reappeared, 'drift finding')} raised; ${stillOpen} still open at the end of the period`;
}

/** "median 12 min, 90% within 40 min, longest 2 h". */
export function describeDistribution(distribution: Distribution): string {
  if (distribution.count === 0) return 'none';
  return `median ${formatMinutes(distribution.medianMinutes)}, 90% within ${formatMinutes(distribution.p90Minutes)}, longest ${formatMinutes(distribution.maxMinutes)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
