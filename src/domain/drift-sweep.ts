import type { Person } from './types';

/** One sweep of mailbox permissions against the active grants. */
export interface DriftSweep {
  id: string;
  trigger: 'schedule' | 'on-demand';
  by?: Person;
  /** All mailboxes Exchange lists, or the configured ones. */
  scope: 'all' | 'configured';
  status: 'running' | 'finished' | 'partial' | 'failed';
  startedAt: number;
  finishedAt?: number;
  instance: string;
  /** Mailboxes in scope (0 until the list is known). */
  inScope: number;
  /** Mailboxes whose permissions were read and compared. */
  read: number;
  /** Mailboxes that could not be read, with the last error (the first 200; unreadCount has them all). */
  unread: { mailbox: string; error: string }[];
  unreadCount: number;
  findings: { new: number; reappeared: number; stillOpen: number; gone: number; allowed: number; explained: number };
  /** Why the sweep stopped before reading anything (e.g. the mailbox list could not be read). */
  failure?: string;
}

export const UNREAD_KEPT = 200;

/**
 * What the security conversation is told when a sweep ends. It only speaks
 * for the mailboxes it read: a sweep that could not read some never says
 * "no findings" without saying which mailboxes that does not cover.
 */
export function sweepSummary(sweep: DriftSweep): string {
  if (sweep.status === 'failed' && sweep.read === 0)
    return `Sweep ${sweep.id} could not run: ${sweep.failure ?? 'unknown error'}. No mailbox was checked, so nothing is known about drift until the next sweep.`;
  if (sweep.status === 'failed')
    return `Sweep ${sweep.id} stopped with an error after reading ${sweep.read} of ${sweep.inScope} mailbox(es): ${sweep.failure ?? 'unknown error'}. Its findings may not all be recorded, and nothing is known about the mailboxes it did not read.`;
  const f = sweep.findings;
  const found = f.new + f.reappeared;
  const findingText =
    found + f.stillOpen === 0
      ? `No findings in the ${sweep.read} mailbox(es) read`
      : `${found} new finding(s)${f.reappeared ? ` (${f.reappeared} came back after removal)` : ''} and ${f.stillOpen} still open from earlier sweeps, in the ${sweep.read} mailbox(es) read`;
  const lines = [
    `Sweep ${sweep.id} read ${sweep.read} of ${sweep.inScope} mailbox(es) in scope (${sweep.scope === 'all' ? 'all mailboxes' : 'configured mailboxes'}). ${findingText}.`,
  ];
  lines.push(
    `${f.explained} permission(s) explained by active grants, ${f.allowed} allowed by the allow-list${f.gone ? `, ${f.gone} earlier finding(s) no longer held` : ''}.`,
  );
  if (sweep.unreadCount > 0) {
    const shown = sweep.unread.slice(0, 20).map((entry) => `${entry.mailbox} (${entry.error})`);
    const more = sweep.unreadCount > shown.length ? `, and ${sweep.unreadCount - shown.length} more` : '';
    lines.push(`NOT READ: ${sweep.unreadCount} mailbox(es) could not be read, so nothing is known about them: ${shown.join('; ')}${more}.`);
  }
  return lines.join('\n\n');
}
