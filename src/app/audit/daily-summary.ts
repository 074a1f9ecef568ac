import type { AppContext } from '../context';

const DAY = 24 * 3_600_000;

/** Counts of what happened in the last day, from the audit trail, for the security conversation. */
export async function postDailySummary(ctx: AppContext, until: number): Promise<void> {
  const events = await ctx.store.listAudit({ from: until - DAY, to: until, limit: 1_000_000 });
  const count = (predicate: (type: string) => boolean) => events.filter((event) => predicate(event.type)).length;
  const active = await ctx.store.listRequestsByStatus(['active'], 100_000);
  const revoking = await ctx.store.listRequestsByStatus(['revoking'], 100_000);
  const pending = await ctx.store.listRequestsByStatus(['pending'], 100_000);
  const lines = [
    `Requests submitted: ${count((type) => type === 'request.submitted')} (invalid or refused: ${count((type) => type === 'request.invalid' || type.startsWith('request.refused'))})`,
    `Grants confirmed: ${count((type) => type === 'grant.confirmed')}, failed: ${count((type) => type === 'grant.failed')}`,
    `Rejected: ${count((type) => type === 'request.rejected')}, cancelled: ${count((type) => type === 'request.cancelled')}, expired undecided: ${count((type) => type === 'request.expired')}`,
    `Revocations confirmed: ${count((type) => type === 'revoke.confirmed')}, failed attempts: ${count((type) => type === 'revoke.failed')}`,
    `Refused actions: ${count((type) => type.startsWith('refused.'))}`,
    `Now: ${active.length} active grant(s), ${pending.length} pending request(s), ${revoking.length} revocation(s) still being retried${revoking.length ? ` (${revoking.map((request) => request.id).join(', ')})` : ''}.`,
  ];
  await ctx.audit.append({
    type: 'summary.daily',
    actor: { aadObjectId: 'system', name: 'Custodian' },
    details: { from: until - DAY, to: until, events: events.length },
  });
  await ctx.notifier.tellSecurity(
    'summary',
    null,
    `Daily summary for the 24 hours to ${new Date(until).toISOString()}:\n\n${lines.map((line) => `- ${line}`).join('\n')}`,
  );
}
