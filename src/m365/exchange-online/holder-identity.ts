import { isBuiltInHolder } from '../../domain/built-in-holder';
import type { IdentityResolver } from './identity-resolver';

/** Whether a permission row's holder is the grantee: 'unknown' when the row does not say who it is. */
export type HolderMatch = 'match' | 'other' | 'unknown';

// A SID instead of a name: the holder's account was deleted (fact 10).
const SID = /^(NT:)?S-1-\d+(-\d+)+$/i;
const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * The names a row gives for its holder. Folder-permission rows name the user
 * by display name or as an object with DisplayName and RecipientPrincipal
 * (fact 5; CIPP's folder-permission helper and public scripts read
 * User.RecipientPrincipal.PrimarySmtpAddress); mailbox rows use a string.
 */
export function holderNames(holder: unknown): { display?: string; ids: string[] } {
  if (typeof holder === 'string') return { display: holder.trim() || undefined, ids: [] };
  if (!holder || typeof holder !== 'object') return { ids: [] };
  const o = holder as Record<string, unknown>;
  const principal = (o.RecipientPrincipal && typeof o.RecipientPrincipal === 'object' ? o.RecipientPrincipal : {}) as Record<
    string,
    unknown
  >;
  const ids = [
    principal.PrimarySmtpAddress,
    principal.UserPrincipalName,
    principal.ExternalDirectoryObjectId,
    principal.Guid,
    o.UserId,
    typeof o.RecipientPrincipal === 'string' ? o.RecipientPrincipal : undefined,
  ]
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map((v) => v.trim());
  const display = typeof o.DisplayName === 'string' && o.DisplayName.trim() ? o.DisplayName.trim() : undefined;
  return { display, ids };
}

/** A holder that is part of every mailbox or folder (the domain's rule), named without an identity of a person. */
export function isBuiltIn(holder: unknown): boolean {
  const { display, ids } = holderNames(holder);
  return ids.length === 0 && display !== undefined && isBuiltInHolder(display);
}

/** A holder that is neither a user nor a built-in: a SID, or a name no mailbox answers to (a role group). */
export function isSid(name: string): boolean {
  return SID.test(name.trim());
}

/**
 * Whether the row's holder is the grantee. A display name that Exchange cannot
 * resolve to one mailbox is 'unknown', never 'other': a read-back that cannot
 * identify a holder must not conclude the grantee's permission is gone.
 */
export async function matchHolder(names: IdentityResolver, grantee: string, holder: unknown): Promise<HolderMatch> {
  const { display, ids } = holderNames(holder);
  for (const id of ids) if (await names.matches(grantee, id)) return 'match';
  if (ids.length > 0) return 'other';
  if (!display) return 'unknown';
  if (await names.matches(grantee, display)) return 'match';
  if (isBuiltInHolder(display) || isSid(display) || ADDRESS.test(display)) return 'other';
  try {
    // Another mailbox by that name, or a group: someone else. Nobody Exchange knows: cannot tell.
    if (await names.resolve(display)) return 'other';
    return (await names.recipientExists(display)) ? 'other' : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The best name for a holder in a permission list: an address where one is known, else the holder as Exchange shows it. */
export async function holderAddress(names: IdentityResolver, holder: unknown): Promise<string | undefined> {
  const { display, ids } = holderNames(holder);
  const address = ids.find((id) => ADDRESS.test(id));
  if (address) return address.toLowerCase();
  if (ids[0]) return names.toUpn(ids[0]);
  if (!display) return undefined;
  if (isSid(display)) return display;
  return names.toUpn(display);
}
