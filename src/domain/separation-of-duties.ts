import { refusal, type Refusal } from './refusal';
import type { AccessRequest } from './types';

// Separation of duties: nobody judges a matter they are part of. Every
// judgement (approve, reject, attest, extensions, review verdicts,
// escalations, drift "Allow" and "Remove now", verdicts on untraced changes)
// asks this one rule before anything changes.

/** The parts a person can play in a matter; any of them bars them from judging it. */
export const SOD_PARTS = ['requester', 'changed-by', 'grantee', 'mailbox-owner', 'approver', 'requester-manager', 'owner-manager'] as const;
export type SodPart = (typeof SOD_PARTS)[number];

/** The parts a policy file may add (`separationOfDuties.alsoRefuse`); the others always apply. */
export const OPTIONAL_SOD_PARTS = ['requester-manager', 'owner-manager'] as const;
export type OptionalSodPart = (typeof OPTIONAL_SOD_PARTS)[number];

/** Someone who plays a part in the matter, known by Entra object ID and/or address. */
export interface Party {
  part: SodPart;
  aadObjectId?: string;
  /** UPN or SMTP address; compared case-insensitively. */
  address?: string;
}

/** The person about to judge, as the authenticated activity (and, where needed, the directory) knows them. */
export interface Judge {
  aadObjectId: string;
  /** The judge's UPN and mail address, when a matter names its parties by address only. */
  addresses?: string[];
}

const FACT: Record<SodPart, (matter: string) => string> = {
  requester: (matter) => `you requested ${matter}`,
  'changed-by': (matter) => `you made the change ${matter} is about`,
  grantee: (matter) => `you hold the access ${matter} is about`,
  'mailbox-owner': (matter) => `${matter} is about your own mailbox`,
  approver: (matter) => `you approved ${matter}`,
  'requester-manager': (matter) => `you are the manager of the person who requested ${matter}`,
  'owner-manager': (matter) => `you are the manager of the owner of the mailbox in ${matter}`,
};

function plays(judge: Judge, party: Party): boolean {
  if (party.aadObjectId && party.aadObjectId === judge.aadObjectId) return true;
  const address = party.address?.trim().toLowerCase();
  return !!address && (judge.addresses ?? []).some((own) => own.trim().toLowerCase() === address);
}

export type SodRefusal = Refusal & { part?: SodPart };

/**
 * Null when the judge plays no part in the matter; otherwise the refusal,
 * naming the rule and the part in plain words. `act` is the verb shown ("approve", "allow").
 */
export function separationOfDuties(judge: Judge, matter: string, parties: Party[], act: string): SodRefusal | null {
  // Fail closed: someone who cannot be told apart from the parties may not judge.
  if (!judge.aadObjectId) return refusal('separation-of-duties', `Your identity is unknown, so you cannot ${act} ${matter}.`);
  for (const part of SOD_PARTS) {
    if (!parties.some((party) => party.part === part && plays(judge, party))) continue;
    return {
      ...refusal('separation-of-duties', `Separation of duties: ${FACT[part](matter)}, so you cannot ${act} it; someone else must.`),
      part,
    };
  }
  return null;
}

/** The requester (who is also the grantee) and the mailbox owner of a request; with `approvers`, everyone who approved it. */
export function requestParties(request: AccessRequest, options: { approvers?: boolean; also?: Party[] } = {}): Party[] {
  const parties: Party[] = [
    { part: 'requester', aadObjectId: request.requester.aadObjectId, address: request.requester.upn },
    { part: 'grantee', aadObjectId: request.requester.aadObjectId, address: request.requester.upn },
    { part: 'mailbox-owner', aadObjectId: request.mailbox.objectId, address: request.mailbox.upn },
  ];
  if (options.approvers)
    parties.push(...request.approvals.map((approval) => ({ part: 'approver' as const, aadObjectId: approval.approver.aadObjectId })));
  return [...parties, ...(options.also ?? [])];
}
