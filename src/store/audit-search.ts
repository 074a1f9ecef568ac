// What both stores index an audit record by, beyond its own fields.

/**
 * `AuditQuery.actorId` also matches the requester named in the details
 * (`details.requester.aadObjectId`), so a revocation done by the system
 * still shows up when searching for the admin who held the access.
 */
export function requesterIdInDetails(details: Record<string, unknown>): string | null {
  const requester = details.requester;
  if (requester && typeof requester === 'object') {
    const id = (requester as { aadObjectId?: unknown }).aadObjectId;
    if (typeof id === 'string' && id !== '') return id;
  }
  return null;
}

/** Mailbox addresses compare case-insensitively, as Exchange does. */
export function mailboxKey(mailbox: string | undefined): string | null {
  return mailbox === undefined ? null : mailbox.toLowerCase();
}
