import { reportCharts, type ChartSpec } from './charts';
import * as findings from './findings';
import { chainSentence, headlineFigures } from './headline';
import { renderSvg } from './render-svg';
import { REPORT_CSS } from './report-style';
import { driftRows, highImpactRows, reviewRows } from './stage-rows';
import type { AuditReport, CountRow, Distribution } from './report-types';

type Cell = string | number;

/** Longer per-grant lists stay in the JSON; the page shows their summary. */
const MAX_LISTED = 60;

/** Text for HTML: names and tickets come from people and must never become markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function table(caption: string, headers: string[], rows: Cell[][]): string {
  // A column of numbers is right-aligned, its heading too.
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number'));
  const head = headers.map((header, i) => `<th scope="col"${numeric[i] ? ' class="n"' : ''}>${escapeHtml(header)}</th>`).join('');
  const body =
    rows.length === 0
      ? `<tr><td colspan="${headers.length}" class="empty">none</td></tr>`
      : rows
          .map(
            (row) =>
              `<tr>${row.map((cell) => (typeof cell === 'number' ? `<td class="n">${cell}</td>` : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`,
          )
          .join('');
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function countTable(caption: string, what: string, rows: CountRow[]): string {
  return table(
    caption,
    [what, 'count'],
    rows.map((row) => [row.label, row.count]),
  );
}

function distributionTable(caption: string, measures: { name: string; distribution: Distribution }[]): string {
  const buckets = measures[0].distribution.buckets.map((bucket, index) => [
    bucket.label,
    ...measures.map((m) => m.distribution.buckets[index].count),
  ]);
  const summary = (label: string, pick: (d: Distribution) => number | null) => [
    label,
    ...measures.map((m) => findings.formatMinutes(pick(m.distribution))),
  ];
  return table(
    caption,
    ['', ...measures.map((m) => m.name)],
    [
      ...buckets,
      ['count', ...measures.map((m) => m.distribution.count)],
      summary('median', (d) => d.medianMinutes),
      summary('90th percentile', (d) => d.p90Minutes),
      summary('longest', (d) => d.maxMinutes),
    ],
  );
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The chart (when the section has one) beside its exact table. */
function pair(svgs: Map<string, string>, chartId: string, tableHtml: string): string {
  const svg = svgs.get(chartId);
  const figure = svg ? `<figure data-chart="${chartId}">${svg}</figure>` : '';
  return `<div class="pair">${figure}${tableHtml}</div>`;
}

function section(id: string, heading: string, finding: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(heading)}</h2><p class="finding">${escapeHtml(finding)}</p>${body}</section>`;
}

async function renderCharts(charts: Map<string, ChartSpec>): Promise<Map<string, string>> {
  const svgs = new Map<string, string>();
  for (const [id, chart] of charts) {
    const svg = await renderSvg(chart.spec);
    // role and label make the picture readable to screen readers; the table beside it holds the numbers.
    svgs.set(id, svg.replace('<svg ', `<svg role="img" aria-label="${escapeHtml(chart.description)}" `));
  }
  return svgs;
}

/** The whole report as one self-contained HTML document: inline CSS and SVG, no scripts, nothing fetched. */
export async function renderHtml(report: AuditReport): Promise<string> {
  const f = report.figures;
  const svgs = await renderCharts(reportCharts(f));
  const to = report.period.to - 1;
  const periodText = `${iso(report.period.from).slice(0, 10)} to ${iso(to).slice(0, 10)}`;
  const chain = report.chain;
  const chainRows: Cell[][] = [
    ['records of the period', String(chain.records)],
    ['first record', chain.firstSeq === null ? '–' : `${chain.firstSeq} · ${chain.firstHash}`],
    ['last record', chain.lastSeq === null ? '–' : `${chain.lastSeq} · ${chain.lastHash}`],
  ];
  if (chain.failure) chainRows.push(['first bad record', `${chain.failure.seq} (${chain.failure.problem})`]);

  const sections = [
    section(
      'grants',
      'Grants',
      findings.grantsByWeekTitle(report.figures),
      [
        pair(
          svgs,
          'grants-by-week',
          table(
            'Grants per week and access level',
            ['week starting', 'access level', 'grants'],
            f.grants.byWeekAndAccess.map((r) => [r.week, r.access, r.count]),
          ),
        ),
        `<p class="finding">${escapeHtml(findings.grantsByRequesterTitle(f))}</p>`,
        pair(svgs, 'grants-by-requester', countTable('Grants by requester', 'requester', f.grants.byRequester)),
        table(
          'Grants per week and requester',
          ['week starting', 'requester', 'grants'],
          f.grants.byWeekAndRequester.map((r) => [r.week, r.requester, r.count]),
        ),
      ].join(''),
    ),
    section(
      'jurisdictions',
      'By jurisdiction',
      findings.jurisdictionTitle(f),
      pair(svgs, 'grants-by-jurisdiction', countTable('Grants by jurisdiction', 'jurisdiction', f.grants.byJurisdiction)),
    ),
    section(
      'high-impact',
      'High-impact grants',
      findings.highImpactTitle(f),
      [
        pair(svgs, 'high-impact', countTable('High-impact grants (a grant may have several reasons)', 'reason', highImpactRows(f))),
        `<p class="note">${f.highImpact.highImpact} of ${f.highImpact.grants} grants: ${findings.percent(f.highImpact.share)} high-impact.</p>`,
      ].join(''),
    ),
    section(
      'timing',
      'Time to decision and to grant',
      findings.timingTitle(f),
      pair(
        svgs,
        'timing',
        distributionTable('Requests by time since submission', [
          { name: 'to decision', distribution: f.timing.toDecision },
          { name: 'to grant', distribution: f.timing.toGrant },
        ]),
      ),
    ),
    section(
      'usage',
      'Requested against used',
      findings.usageTitle(f),
      [
        pair(
          svgs,
          'usage',
          table(
            'Ended grants by reason',
            ['ended because', 'grants', 'median minutes requested', 'median minutes held'],
            f.usage.heldByReason.map((r) => [r.reason, r.grants, r.medianRequestedMinutes ?? '–', r.medianUsedMinutes ?? '–']),
          ),
        ),
        f.usage.grants.length <= MAX_LISTED
          ? table(
              'Each ended grant',
              ['request', 'minutes requested', 'minutes held', 'ended because'],
              f.usage.grants.map((r) => [r.requestId, r.requestedMinutes, r.usedMinutes, r.reason]),
            )
          : `<p class="note">${f.usage.grants.length} grants ended; the report's JSON (--format json) lists each one.</p>`,
      ].join(''),
    ),
    section(
      'revocation',
      'Revocation lag',
      findings.revocationTitle(f),
      [
        pair(
          svgs,
          'revocation-lag',
          distributionTable('Expired grants by time from expiry to confirmed removal', [
            { name: 'grants', distribution: f.revocation.lag },
          ]),
        ),
        `<p class="note">Failed removal attempts (retried automatically): ${f.revocation.failedAttempts}.</p>`,
        table(
          'Manual-action cases',
          ['request', 'mailbox', 'raised', 'attempts', 'removal confirmed'],
          f.revocation.manualAction.map((c) => [
            c.requestId,
            c.mailbox,
            iso(c.raisedAt),
            c.attempts,
            c.confirmedAt === null ? 'not in this period' : iso(c.confirmedAt),
          ]),
        ),
      ].join(''),
    ),
    section(
      'refusals',
      'Refusals',
      findings.refusalsTitle(f),
      [
        pair(svgs, 'refusals-by-kind', countTable('Refusals by kind', 'kind', f.refusals.byKind)),
        pair(svgs, 'refusals-by-actor', countTable('Refusals by actor', 'actor', f.refusals.byActor)),
      ].join(''),
    ),
    section(
      'reviews',
      'Access reviews',
      findings.reviewsTitle(f),
      [
        `<p class="note">Reviews posted: ${f.reviews.reviews}.</p>`,
        pair(svgs, 'reviews', countTable('Access reviews', 'stage', reviewRows(f))),
      ].join(''),
    ),
    section(
      'drift',
      'Drift findings',
      findings.driftTitle(f),
      [
        `<p class="note">Sweeps finished: ${f.drift.sweeps}; removals that needed manual action: ${f.drift.removalManualAction}.</p>`,
        pair(svgs, 'drift', countTable('Drift findings', 'outcome', driftRows(f))),
      ].join(''),
    ),
    section('untraced', 'Untraced changes', 'Not yet tracked', `<p class="note">${escapeHtml(f.untracedChanges.note)}</p>`),
  ];

  const headline = headlineFigures(report)
    .map((h) => `<li><span class="value">${escapeHtml(h.value)}</span><span class="label">${escapeHtml(h.label)}</span></li>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Custodian audit report ${escapeHtml(periodText)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header>
<h1>Mailbox access report: ${escapeHtml(periodText)}</h1>
<dl class="meta"><dt>Period</dt><dd>${escapeHtml(iso(report.period.from))} to ${escapeHtml(iso(report.period.to))} (end excluded)</dd><dt>Tenant</dt><dd>${escapeHtml(report.tenant)}</dd><dt>Made</dt><dd>${escapeHtml(iso(report.generatedAt))}</dd></dl>
</header>
<div class="chain${chain.verified ? '' : ' broken'}" id="chain">
<h2>${chain.verified ? 'Audit chain verified' : 'Audit chain NOT verified: these figures may rest on altered records'}</h2>
<p>${escapeHtml(chainSentence(report))}</p>
${table('Records this report was built from', ['', 'value'], chainRows)}
</div>
<ul class="headline">${headline}</ul>
${sections.join('\n')}
<footer>Made by Custodian from its hash-chained audit trail; every figure comes from the records of the period listed above. Times are UTC.</footer>
</main>
</body>
</html>
`;
}
