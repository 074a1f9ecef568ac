import { accessLevelList, folderForRequest, parseAccessLevel } from './access-level';
import { formatDuration, parseDurationMinutes } from './duration';
import { jurisdictionCodes, policyFor, ticketMatches, type JurisdictionPolicy, type PolicySet } from './policy';
import type { AccessLevel, Person } from './types';
import { FIELD_LIMITS } from './field-limits';

/** What a requester typed or submitted on the form, before any checking. */
export interface RequestDraft {
  mailbox?: string;
  ticket?: string;
  jurisdiction?: string;
  access?: string;
  folder?: string;
  duration?: string;
  justification?: string;
  legalBasis?: string;
  noticeWithheldReason?: string;
}

export type DraftField = keyof RequestDraft;

/** The directory's answer about the target mailbox, looked up by the caller (the domain does no I/O). */
export type MailboxLookup =
  | { status: 'found'; objectId: string; upn: string; displayName: string; hasMailbox: boolean }
  | { status: 'not-found' }
  | { status: 'not-checked' };

export interface ValidRequest {
  mailbox: { upn: string; displayName: string; objectId: string };
  ticket: string;
  policy: JurisdictionPolicy;
  access: AccessLevel;
  folder?: string;
  durationMinutes: number;
  justification: string;
  legalBasis?: string;
  noticeWithheldReason?: string;
}

export type DraftResult = { ok: true; value: ValidRequest } | { ok: false; errors: Partial<Record<DraftField, string>> };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FOLDER = /^[\p{L}\p{N} _\-/]{1,128}$/u;
const MAX_JUSTIFICATION = FIELD_LIMITS.justification;

export function looksLikeMailbox(text: string | undefined): boolean {
  return !!text && EMAIL.test(text.trim());
}

/** Checks every field and reports each problem by field; nothing is partially accepted. */
export function validateDraft(draft: RequestDraft, policies: PolicySet, lookup: MailboxLookup, requester: Person): DraftResult {
  const errors: Partial<Record<DraftField, string>> = {};
  const text = (value: string | undefined) => (value ?? '').trim();

  const mailboxText = text(draft.mailbox).toLowerCase();
  if (!mailboxText) errors.mailbox = 'Enter the mailbox (UPN or e-mail address), e.g. alex@contoso.com.';
  else if (!looksLikeMailbox(mailboxText)) errors.mailbox = `"${mailboxText}" is not an e-mail address or UPN.`;
  else if (lookup.status === 'not-found') errors.mailbox = `No user ${mailboxText} exists in the directory.`;
  else if (lookup.status === 'found' && !lookup.hasMailbox)
    errors.mailbox = `${lookup.displayName} (${lookup.upn}) has no Exchange Online mailbox.`;
  else if (lookup.status === 'found' && lookup.objectId === requester.aadObjectId)
    errors.mailbox = 'You cannot request access to your own mailbox.';
  else if (lookup.status === 'not-checked') errors.mailbox = 'The directory could not be asked about this mailbox; nothing was requested.';

  const code = text(draft.jurisdiction).toUpperCase();
  const policy = code ? policyFor(policies, code) : undefined;
  const validCodes = jurisdictionCodes(policies).join(', ');
  if (!code) errors.jurisdiction = `Choose a jurisdiction: ${validCodes}.`;
  else if (!policy) errors.jurisdiction = `Unknown jurisdiction "${code}". Valid codes: ${validCodes}.`;

  const ticket = text(draft.ticket);
  if (!ticket) errors.ticket = 'Enter the ticket ID this access is for.';
  else if (ticket.length > FIELD_LIMITS.ticket) errors.ticket = `The ticket ID is longer than ${FIELD_LIMITS.ticket} characters.`;
  else if (policy && !ticketMatches(policy, ticket))
    errors.ticket = `"${ticket}" does not match the ticket format for ${policy.code} (for example ${policy.ticketExample}).`;

  const access = parseAccessLevel(text(draft.access));
  if (!text(draft.access)) errors.access = `Choose an access level: ${accessLevelList()}.`;
  else if (!access) errors.access = `Unknown access level "${text(draft.access)}". Use ${accessLevelList()}.`;
  else if (policy && !policy.accessLevels.includes(access))
    errors.access = `${access} is not allowed under ${policy.code}. Allowed: ${policy.accessLevels.join(', ')}.`;

  const folder = access ? folderForRequest(access, text(draft.folder)) : undefined;
  if (folder !== undefined && !FOLDER.test(folder)) errors.folder = `"${folder}" is not a valid folder name.`;

  const durationText = text(draft.duration) || (policy ? String(policy.defaultDurationMinutes) : '');
  const minutes = parseDurationMinutes(durationText);
  if (!durationText) errors.duration = 'Enter a duration such as 30m, 4h or 2d.';
  else if (minutes === null) errors.duration = `"${durationText}" is not a duration. Use forms such as 30m, 4h or 2d.`;
  else if (policy && minutes > policy.maxDurationMinutes)
    errors.duration = `${formatDuration(minutes)} is longer than the maximum for ${policy.code} (${formatDuration(policy.maxDurationMinutes)}).`;
  else if (policy && minutes < policy.minDurationMinutes)
    errors.duration = `${formatDuration(minutes)} is shorter than the minimum for ${policy.code} (${formatDuration(policy.minDurationMinutes)}).`;

  const justification = text(draft.justification);
  if (!justification) errors.justification = 'Explain why you need this access; the approvers and the audit trail see it.';
  else if (justification.length > MAX_JUSTIFICATION)
    errors.justification = `The justification is longer than ${MAX_JUSTIFICATION} characters.`;

  let legalBasis = text(draft.legalBasis) === 'none' ? '' : text(draft.legalBasis);
  if (policy && policy.legalBases.length === 0) legalBasis = '';
  if (policy && policy.legalBases.length > 0) {
    const ids = policy.legalBases.map((basis) => basis.id);
    if (!legalBasis) errors.legalBasis = `${policy.code} requires a legal basis: ${ids.join(', ')}.`;
    else if (!ids.includes(legalBasis)) errors.legalBasis = `Unknown legal basis "${legalBasis}". Choose one of: ${ids.join(', ')}.`;
  }

  const noticeWithheldReason = text(draft.noticeWithheldReason) || undefined;

  if (Object.keys(errors).length > 0 || !policy || !access || minutes === null || lookup.status !== 'found') return { ok: false, errors };
  return {
    ok: true,
    value: {
      mailbox: { upn: lookup.upn.toLowerCase(), displayName: lookup.displayName, objectId: lookup.objectId },
      ticket,
      policy,
      access,
      folder,
      durationMinutes: minutes,
      justification,
      legalBasis: legalBasis || undefined,
      noticeWithheldReason,
    },
  };
}
