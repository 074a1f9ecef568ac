import type { Distribution } from './report-types';

/** Upper bounds (exclusive, minutes) and labels of the buckets a distribution is drawn with. */
export interface BucketScale {
  bounds: number[];
  labels: string[];
}

/** Human decisions: minutes to days. */
export const DECISION_BUCKETS: BucketScale = {
  bounds: [15, 60, 240, 1440],
  labels: ['under 15 min', '15–60 min', '1–4 h', '4–24 h', '1 day or more'],
};

/** Machine work: seconds to an hour. */
export const LAG_BUCKETS: BucketScale = {
  bounds: [1, 5, 15, 60],
  labels: ['under 1 min', '1–5 min', '5–15 min', '15–60 min', '1 h or more'],
};

/** Nearest-rank percentile of ascending values: the smallest value with at least p of them at or below it. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

export function distribution(minutes: number[], scale: BucketScale): Distribution {
  const sorted = [...minutes].sort((a, b) => a - b);
  const counts = scale.labels.map(() => 0);
  for (const value of sorted) {
    const index = scale.bounds.findIndex((bound) => value < bound);
    counts[index === -1 ? scale.bounds.length : index]++;
  }
  return {
    count: sorted.length,
    medianMinutes: round(percentile(sorted, 0.5)),
    p90Minutes: round(percentile(sorted, 0.9)),
    maxMinutes: round(sorted.length ? sorted[sorted.length - 1] : null),
    buckets: scale.labels.map((label, index) => ({ label, count: counts[index] })),
  };
}

/** Two decimals are plenty for minutes (under a second). */
export function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}
