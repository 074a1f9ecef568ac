import type { Judge, Party } from '../../domain/separation-of-duties';
import type { Person } from '../../domain/types';
import type { AppContext } from '../context';

/** Whose managers to look up: a person by object ID, or by address when only that is known (drift findings). */
export interface ManagedBy {
  requester?: { aadObjectId?: string; address?: string };
  owner?: { aadObjectId?: string; address?: string };
}

async function managerOf(ctx: AppContext, who: { aadObjectId?: string; address?: string } | undefined): Promise<string | undefined> {
  let id = who?.aadObjectId;
  if (!id && who?.address) id = (await ctx.directory.findUser(who.address))?.id;
  if (!id) return undefined;
  return (await ctx.directory.getManager(id))?.id;
}

/**
 * The parties the policy file adds (`separationOfDuties.alsoRefuse`). The
 * directory is asked only for what the policy names; a directory error
 * propagates, so the judgement is refused rather than made unchecked.
 */
export async function policyParties(ctx: AppContext, subject: ManagedBy): Promise<Party[]> {
  const also = ctx.policies.separationOfDuties?.alsoRefuse ?? [];
  const parties: Party[] = [];
  if (also.includes('requester-manager')) {
    const manager = await managerOf(ctx, subject.requester);
    if (manager) parties.push({ part: 'requester-manager', aadObjectId: manager });
  }
  if (also.includes('owner-manager')) {
    const manager = await managerOf(ctx, subject.owner);
    if (manager) parties.push({ part: 'owner-manager', aadObjectId: manager });
  }
  return parties;
}

/**
 * The judge with their addresses from the directory, for matters whose
 * parties are known by address only. Null when the directory does not know
 * them: then nobody can tell whether they are a party, and they may not judge.
 */
export async function judgeWithAddresses(ctx: AppContext, person: Person): Promise<Judge | null> {
  const user = await ctx.directory.getUser(person.aadObjectId);
  if (!user) return null;
  return { aadObjectId: person.aadObjectId, addresses: [user.userPrincipalName, user.mail ?? ''].filter(Boolean) };
}
