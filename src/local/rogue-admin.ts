import { rogueFullAccess } from '../local-tenant/admin-audit';
import type { LocalTenant } from '../local-tenant';

export const ROGUE_ADMIN_USAGE = 'rogue-admin <admin address> <mailbox>   (the admin gives themselves FullAccess directly in Exchange)';

/**
 * The local demo's rogue admin, typed into the `npm start` terminal:
 * "rogue-admin adele@contoso.com alex@contoso.com" grants Adele FullAccess on
 * Alex's mailbox directly in the simulated tenant (audited under her name, as
 * Exchange would), bypassing Custodian. Returns what to print.
 */
export function rogueAdminCommand(tenant: LocalTenant, line: string): string | undefined {
  const words = line.trim().split(/\s+/);
  if (words[0] !== 'rogue-admin') return undefined;
  if (words.length !== 3) return `Usage: ${ROGUE_ADMIN_USAGE}`;
  const [, admin, mailbox] = words;
  try {
    const record = rogueFullAccess(tenant.state, admin, admin, mailbox);
    return `${admin} now holds FullAccess on ${mailbox}, granted outside Custodian (audit record ${record.id}). The correlation job finds it on its next run.`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
