// How long the simulated services take to answer. Off by default so that the
// suite stays fast; the "real" profile follows fact 11 of real-tenant.md
// (a permission change commonly takes seconds) and Graph's usual answer times.

/** [min, max] milliseconds; each answer waits a uniformly random time in the range. */
export type Range = readonly [number, number];

export interface LatencyProfile {
  /** Exchange cmdlets that change something (Add-, Remove-, Set-). */
  exchangeChange: Range;
  /** Exchange reads (Get-). */
  exchangeRead: Range;
  /** Microsoft Graph and the token endpoint. */
  graph: Range;
}

export const NO_LATENCY: Readonly<LatencyProfile> = Object.freeze({
  exchangeChange: [0, 0] as const,
  exchangeRead: [0, 0] as const,
  graph: [0, 0] as const,
});

/** Exchange changes 2-5 s, Exchange reads 0.5-1.5 s, Graph 50-300 ms. */
export const REAL_LATENCY: Readonly<LatencyProfile> = Object.freeze({
  exchangeChange: [2_000, 5_000] as const,
  exchangeRead: [500, 1_500] as const,
  graph: [50, 300] as const,
});

/**
 * "off", "real", or "real" with overrides, e.g.
 * "real,exchangeChange=4000" or "exchangeChange=4000-4000,exchangeRead=100-200,graph=10".
 * Used for --latency-profile and CUSTODIAN_LOCAL_TENANT_LATENCY.
 */
export function parseLatencyProfile(text: string | undefined): LatencyProfile {
  const spec = (text ?? '').trim();
  if (!spec || spec === 'off') return { ...NO_LATENCY };
  const profile: { -readonly [K in keyof LatencyProfile]: Range } = { ...NO_LATENCY };
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    if (part === 'real') {
      Object.assign(profile, REAL_LATENCY);
      continue;
    }
    const m = part.match(/^(exchangeChange|exchangeRead|graph)=(\d+)(?:-(\d+))?$/);
    if (!m) throw new Error(`Latency profile: "${part}" is not "off", "real" or <exchangeChange|exchangeRead|graph>=<ms>[-<ms>]`);
    const min = Number(m[2]);
    const max = m[3] === undefined ? min : Number(m[3]);
    if (max < min) throw new Error(`Latency profile: "${part}" has its maximum below its minimum`);
    profile[m[1] as keyof LatencyProfile] = [min, max];
  }
  return profile;
}

/** The wait for one request, from its route tags. */
export function latencyFor(profile: LatencyProfile, tags: readonly string[], random: () => number = Math.random): number {
  let range: Range;
  if (tags.includes('exchange')) {
    const cmdlet = tags.find((t) => t.startsWith('exchange:') && t.includes('-'))?.slice('exchange:'.length) ?? '';
    range = /^(Get|Test)-/i.test(cmdlet) ? profile.exchangeRead : profile.exchangeChange;
  } else {
    range = profile.graph;
  }
  const [min, max] = range;
  return Math.round(min + random() * (max - min));
}
