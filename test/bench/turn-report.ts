import { mib, ms, table } from './stats';
import type { Part, TurnLatencyReport } from './turn-latency';

/** Target from the issue "core loop": our p99 within 1.5x of the echo bot's p99. */
export const TURN_P99_TARGET_RATIO = 1.5;

export function printTurnReport(report: TurnLatencyReport): string {
  const echoP99 = new Map(report.rows.filter((row) => row.turn === 'echo').map((row) => [row.concurrency, row.latency.p99]));
  const latency = table(
    ['turn', 'conversations', 'turns', 'p50', 'p99', 'max', 'p99 / echo p99', 'target <= 1.5x', 'CPU per turn', 'peak RSS'],
    report.rows.map((row) => {
      const ratio = row.latency.p99 / (echoP99.get(row.concurrency) ?? NaN);
      return [
        row.turn,
        String(row.concurrency),
        String(row.latency.count),
        `${ms(row.latency.p50)} ms`,
        `${ms(row.latency.p99)} ms`,
        `${ms(row.latency.max)} ms`,
        row.turn === 'echo' ? '1.0x' : `${ratio.toFixed(1)}x`,
        row.turn === 'echo' ? '(baseline)' : ratio <= TURN_P99_TARGET_RATIO ? 'PASS' : 'FAIL',
        `${ms(row.cpuMsPerTurn)} ms`,
        mib(row.peakRss),
      ];
    }),
  );
  const parts = report.breakdown.map((entry) => {
    const rows = entry.parts.map((part) => [
      part.category,
      `${ms(part.ms)} ms`,
      `${((100 * part.ms) / entry.totalMs).toFixed(0)}%`,
      part.callsPerTurn.toFixed(1),
    ]);
    const waited = entry.parts.reduce((sum, part) => sum + part.ms, 0);
    rows.push([
      'rest (bot code, cards, adapter, HTTP in/out)',
      `${ms(Math.max(0, entry.totalMs - waited))} ms`,
      `${((100 * Math.max(0, entry.totalMs - waited)) / entry.totalMs).toFixed(0)}%`,
      '',
    ]);
    rows.push(['whole turn (mean)', `${ms(entry.totalMs)} ms`, '100%', '']);
    const detail = (parts: Part[]) => parts.map((part) => [part.category, part.callsPerTurn.toFixed(1), `${ms(part.ms)} ms`]);
    return [
      `\nWhere a ${entry.turn} turn spends its time (concurrency 1, mean per turn; waits that overlap within a category count once):\n`,
      table(['waiting for', 'ms per turn', 'share', 'method calls per turn (nested ones too)'], rows),
      `\nHTTPS requests of a ${entry.turn} turn to the tenant (mean per turn):\n`,
      table(['request', 'per turn', 'wait per turn'], detail(entry.tenantRequests)),
      `\nStore calls of a ${entry.turn} turn (mean per turn; inclusive times):\n`,
      table(['store method', 'per turn', 'time per turn'], detail(entry.storeCalls)),
      '',
    ].join('\n');
  });
  return ['\n## Turn latency (issue "core loop")\n', ...report.settings.map((line) => `- ${line}`), '', latency, ...parts, ''].join('\n');
}
