import type { TeamsUser } from './teams-activity';

// The users the local tenant generates with `extraMailboxes` (see
// src/local-tenant/state.ts): user00001@<domain> ... with fixed object IDs.

export interface GeneratedUser {
  aadObjectId: string;
  upn: string;
  displayName: string;
  teams: TeamsUser;
}

export function generatedUser(n: number, domain = 'contoso.com'): GeneratedUser {
  const number = String(n).padStart(5, '0');
  const aadObjectId = `e0000000-0000-4000-8000-${number.padStart(12, '0')}`;
  const displayName = `Generated User ${number}`;
  return { aadObjectId, upn: `user${number}@${domain}`, displayName, teams: { id: `29:user${number}`, name: displayName, aadObjectId } };
}

/** Users of the default fixture who approve (security role in bot/policies.yaml). */
export const APPROVERS: TeamsUser[] = [
  { id: '29:megan', name: 'Megan Bowen', aadObjectId: 'a0000000-0000-4000-8000-000000000002' },
  { id: '29:johanna', name: 'Johanna Lorenz', aadObjectId: 'a0000000-0000-4000-8000-000000000006' },
];
