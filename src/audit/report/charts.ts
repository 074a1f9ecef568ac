import type { TopLevelSpec } from 'vega-lite/build/index';
import type { CountRow, Distribution, ReportFigures } from './report-types';
import { driftRows, highImpactRows, reviewRows } from './stage-rows';

// Vega-Lite specifications of the report's charts, built from the figures alone.

export interface ChartSpec {
  id: string;
  /** What the chart shows, for screen readers and the SVG's title. */
  description: string;
  spec: TopLevelSpec;
}

const WIDTH = 380;
/** Charts with a vertical value axis; horizontal bars take their height from the number of bars. */
const HEIGHT = 200;
/** Bars beyond this are summed in the table only; the chart stays readable. */
const MAX_BARS = 12;

const CONFIG: TopLevelSpec['config'] = {
  font: 'Segoe UI, Helvetica, Arial, sans-serif',
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelLimit: 180 },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom' },
  bar: { color: '#3b6ea5' },
  point: { filled: true, size: 60 },
};

function base(description: string): { $schema: string; description: string; width: number; config: TopLevelSpec['config'] } {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', description, width: WIDTH, config: CONFIG };
}

/** Horizontal bars, largest first: counts by requester, kind, actor, stage. */
export function countBars(id: string, description: string, rows: CountRow[], countTitle: string, keepOrder = false): ChartSpec {
  const values = rows.slice(0, MAX_BARS);
  return {
    id,
    description,
    spec: {
      ...base(description),
      data: { values },
      mark: { type: 'bar', tooltip: false },
      encoding: {
        y: { field: 'label', type: 'nominal', title: null, sort: keepOrder ? values.map((row) => row.label) : '-x' },
        x: { field: 'count', type: 'quantitative', title: countTitle, axis: { tickMinStep: 1, format: 'd' } },
      },
    },
  };
}

/** Bucketed durations, one colour per measure, buckets in their natural order. */
function distributionBars(id: string, description: string, measures: { name: string; distribution: Distribution }[]): ChartSpec {
  const order = measures[0].distribution.buckets.map((bucket) => bucket.label);
  const values = measures.flatMap(({ name, distribution }) =>
    distribution.buckets.map((bucket) => ({ bucket: bucket.label, measure: name, count: bucket.count })),
  );
  return {
    id,
    description,
    spec: {
      ...base(description),
      height: HEIGHT,
      data: { values },
      mark: { type: 'bar', tooltip: false },
      encoding: {
        x: { field: 'bucket', type: 'ordinal', sort: order, title: null, axis: { labelAngle: 0 } },
        y: { field: 'count', type: 'quantitative', title: 'requests', axis: { tickMinStep: 1, format: 'd' } },
        ...(measures.length > 1 ? { xOffset: { field: 'measure' }, color: { field: 'measure', type: 'nominal', title: null } } : {}),
      },
    },
  };
}

/** The charts of every section that has something to draw; an empty section shows its table and a sentence instead. */
export function reportCharts(figures: ReportFigures): Map<string, ChartSpec> {
  const charts: ChartSpec[] = [];
  const { grants, timing, usage, revocation, refusals, reviews, drift } = figures;
  if (grants.total > 0) {
    charts.push({
      id: 'grants-by-week',
      description: 'Grants per week, by access level',
      spec: {
        ...base('Grants per week, by access level'),
        height: HEIGHT,
        data: { values: grants.byWeekAndAccess },
        mark: { type: 'bar', tooltip: false },
        encoding: {
          x: { field: 'week', type: 'ordinal', title: 'week starting (UTC)', axis: { labelAngle: 0 } },
          y: { field: 'count', type: 'quantitative', aggregate: 'sum', title: 'grants', axis: { tickMinStep: 1, format: 'd' } },
          color: { field: 'access', type: 'nominal', title: 'access level' },
        },
      },
    });
    charts.push(countBars('grants-by-requester', 'Grants by requester', grants.byRequester, 'grants'));
    charts.push(countBars('grants-by-jurisdiction', 'Grants by jurisdiction', grants.byJurisdiction, 'grants'));
    charts.push(countBars('high-impact', 'High-impact grants by reason', highImpactRows(figures), 'grants', true));
  }
  if (timing.toDecision.count + timing.toGrant.count > 0) {
    charts.push(
      distributionBars('timing', 'Time from request to decision and to grant', [
        { name: 'to decision', distribution: timing.toDecision },
        { name: 'to grant', distribution: timing.toGrant },
      ]),
    );
  }
  if (usage.grants.length > 0) {
    // Grants of the same reason, requested and held time (to the quarter hour) share one point, sized by their number.
    const points = new Map<string, { requested: number; used: number; reason: string; grants: number }>();
    for (const row of usage.grants) {
      const requested = Math.round(row.requestedMinutes / 15) / 4;
      const used = Math.round(row.usedMinutes / 15) / 4;
      const key = `${row.reason}|${requested}|${used}`;
      const point = points.get(key) ?? { requested, used, reason: row.reason, grants: 0 };
      point.grants++;
      points.set(key, point);
    }
    const values = [...points.values()];
    charts.push({
      id: 'usage',
      description: 'Requested duration against time actually used, per grant',
      spec: {
        ...base('Requested duration against time actually used, per grant'),
        height: HEIGHT,
        data: { values },
        mark: { type: 'point', tooltip: false },
        encoding: {
          x: { field: 'requested', type: 'quantitative', title: 'hours requested (to the quarter hour)' },
          y: { field: 'used', type: 'quantitative', title: 'hours held' },
          color: { field: 'reason', type: 'nominal', title: 'ended because' },
          shape: { field: 'reason', type: 'nominal', title: 'ended because' },
          size: { field: 'grants', type: 'quantitative', title: 'grants', legend: values.some((point) => point.grants > 1) ? {} : null },
        },
      },
    });
  }
  if (revocation.expiredRevoked > 0)
    charts.push(
      distributionBars('revocation-lag', 'Time from expiry to confirmed removal', [{ name: 'lag', distribution: revocation.lag }]),
    );
  if (refusals.total > 0) {
    charts.push(countBars('refusals-by-kind', 'Refusals by kind', refusals.byKind, 'refusals'));
    charts.push(countBars('refusals-by-actor', 'Refusals by actor', refusals.byActor, 'refusals'));
  }
  if (reviews.reviews + reviews.reviewed > 0) {
    charts.push(countBars('reviews', 'Access reviews: from grants covered to escalations', reviewRows(figures), 'grants', true));
  }
  if (drift.opened + drift.reappeared + drift.removed + drift.allowed + drift.gone > 0) {
    charts.push(countBars('drift', 'Drift findings and what became of them', driftRows(figures), 'findings', true));
  }
  return new Map(charts.map((chart) => [chart.id, chart]));
}
