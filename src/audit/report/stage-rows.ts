import type { CountRow, ReportFigures } from './report-types';

// Rows that both a chart and its table show, defined once so that they cannot disagree.

export function highImpactRows(f: ReportFigures): CountRow[] {
  return [
    { label: 'FullAccess', count: f.highImpact.fullAccess },
    { label: 'strict jurisdiction', count: f.highImpact.strictJurisdiction },
    { label: 'conflict of interest', count: f.highImpact.conflictOfInterest },
    { label: 'high-impact (any reason)', count: f.highImpact.highImpact },
    { label: 'ordinary', count: f.highImpact.grants - f.highImpact.highImpact },
  ];
}

export function reviewRows(f: ReportFigures): CountRow[] {
  return [
    { label: 'grants covered', count: f.reviews.population },
    { label: 'sampled', count: f.reviews.sampled },
    { label: 'high-impact', count: f.reviews.highImpact },
    { label: 'marked for review', count: f.reviews.marked },
    { label: 'reviewed', count: f.reviews.reviewed },
    { label: 'fine', count: f.reviews.fine },
    { label: 'escalated', count: f.reviews.escalated },
    { label: 'carried over', count: f.reviews.carriedOver },
  ];
}

export function driftRows(f: ReportFigures): CountRow[] {
  return [
    { label: 'opened', count: f.drift.opened },
    { label: 'reappeared', count: f.drift.reappeared },
    { label: 'removed', count: f.drift.removed },
    { label: 'allowed', count: f.drift.allowed },
    { label: 'gone by itself', count: f.drift.gone },
    { label: 'still open at the end of the period', count: f.drift.stillOpen },
  ];
}
