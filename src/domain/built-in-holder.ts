// Holders Exchange shows on every mailbox or folder that are no person's
// access: the folder defaults "Default" and "Anonymous" (Get-MailboxFolderPermission
// lists both on every folder, the calendar's Default as AvailabilityOnly), the
// system accounts "NT AUTHORITY\SELF" / "NT AUTHORITY\SYSTEM" of
// Get-MailboxPermission, and well-known SIDs. One rule for the Exchange
// connector's reads and for drift detection.

const BUILT_IN_NAME = /^(NT AUTHORITY\\|Default$|Anonymous$)/i;
// A domain account's SID with a relative ID from 1000 up is a person's account
// that was deleted: shown as it is (real-tenant.md fact 10). Lower relative IDs
// and the other S-1-5 SIDs are well-known accounts.
const DOMAIN_ACCOUNT_SID = /^(NT:)?S-1-5-21-\d+-\d+-\d+-(\d+)$/i;

function isWellKnownSid(name: string): boolean {
  if (!/^(NT:)?S-1-5-/i.test(name)) return false;
  const account = DOMAIN_ACCOUNT_SID.exec(name);
  return !account || Number(account[2]) < 1000;
}

/** Whether a holder, by the name Exchange shows for it, is built in (never a finding, never someone's grant). */
export function isBuiltInHolder(name: string): boolean {
  const trimmed = name.trim();
  return BUILT_IN_NAME.test(trimmed) || isWellKnownSid(trimmed);
}
