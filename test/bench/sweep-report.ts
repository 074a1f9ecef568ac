export interface SweepMeasurement {
  /** Mailboxes in scope (generated plus the fixture's). */
  mailboxes: number;
  read: number;
  unread: number;
  seconds: number;
  /** Exchange admin API requests, including the ones answered 429 and the mailbox list's pages. */
  requests: number;
  /** Requests answered 429 by the throttling limit. */
  throttled: number;
  status: string;
}

/** The sweep benchmark's table, as `npm run bench` prints it. */
export function printSweepReport(
  rows: SweepMeasurement[],
  settings: { latencyMs: number; perSecond: number; concurrency: number },
): string {
  const header = ['Mailboxes', 'Read', 'Not read', 'Time (s)', 'Mailboxes/s', 'Requests', 'Requests/mailbox', 'Throttled (429)', 'Status'];
  const lines = rows.map((row) => [
    String(row.mailboxes),
    String(row.read),
    String(row.unread),
    row.seconds.toFixed(1),
    (row.read / row.seconds).toFixed(1),
    String(row.requests),
    (row.requests / Math.max(1, row.mailboxes)).toFixed(2),
    String(row.throttled),
    row.status,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  const format = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [
    '',
    `Drift sweep against the local tenant: ${settings.latencyMs} ms per answer, throttling limit ${settings.perSecond} Exchange requests/s (429 + Retry-After beyond it), ${settings.concurrency} mailboxes read at once`,
    '',
    format(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...lines.map(format),
    '',
  ].join('\n');
}
