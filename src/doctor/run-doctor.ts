import type { M365Clients } from '../m365/connect';
import type { M365Config } from '../m365/config';
import { CHECKS, type Check, type CheckResult, type DoctorContext } from './checks';

export interface DoctorReport {
  results: CheckResult[];
  /** True when every required check passed. */
  healthy: boolean;
}

/** Runs the checks in order; a check whose prerequisite did not pass is skipped, not guessed. */
export async function runDoctor(m365: M365Clients, cfg: M365Config, checks: Check[] = CHECKS): Promise<DoctorReport> {
  const ctx: DoctorContext = { m365, cfg };
  const results: CheckResult[] = [];
  const passed = new Set<string>();
  for (const check of checks) {
    const blocked = (check.needs ?? []).find((n) => !passed.has(n));
    if (blocked) {
      results.push({ check: check.name, required: check.required, status: 'skipped', detail: `needs "${blocked}"` });
      continue;
    }
    const outcome = await check.run(ctx);
    if (outcome.status === 'ok') passed.add(check.name);
    results.push({ check: check.name, required: check.required, ...outcome });
  }
  const healthy = results.every((r) => !r.required || r.status === 'ok');
  return { results, healthy };
}

/** check | status | fix, as a plain-text table. */
export function renderReport(report: DoctorReport): string {
  const statusText = (r: CheckResult): string => {
    if (r.status === 'ok') return 'ok';
    const label = `${r.status.toUpperCase()}${r.required ? '' : ' (optional)'}`;
    return (r.detail ? `${label}: ${r.detail}` : label).slice(0, 60);
  };
  const rows = report.results.map((r) => [r.check, statusText(r), r.status === 'ok' ? '' : (r.fix ?? '')]);
  const header = ['check', 'status', 'fix'];
  const widths = [0, 1].map((i) => Math.max(header[i].length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `${cells[0].padEnd(widths[0])} | ${cells[1].padEnd(widths[1])} | ${cells[2]}`.trimEnd();
  const out = [line(header), `${'-'.repeat(widths[0])}-+-${'-'.repeat(widths[1])}-+-${'-'.repeat(20)}`, ...rows.map(line)];
  out.push('', report.healthy ? 'All required checks passed.' : 'Some required checks failed: Custodian cannot work until they are fixed.');
  return out.join('\n');
}
