// The default folders of a mailbox by their type (the FolderScope of
// Get-MailboxFolderStatistics), with their English names. Exchange names them
// in the mailbox's language ("Innboks" for the inbox of a Norwegian mailbox),
// so a default folder is found by its type, never by the English name
// (real-tenant.md fact 4).

export const FOLDER_SCOPES = {
  Inbox: 'Inbox',
  Calendar: 'Calendar',
  Contacts: 'Contacts',
  SentItems: 'Sent Items',
  DeletedItems: 'Deleted Items',
  Drafts: 'Drafts',
  Archive: 'Archive',
  JunkEmail: 'Junk Email',
} as const;

export type FolderScope = keyof typeof FOLDER_SCOPES;

/** The type of a default folder given by its English name ("sent items" -> SentItems); undefined for any other folder. */
export function scopeOfFolderName(name: string): FolderScope | undefined {
  const key = name.trim().toLowerCase();
  return (Object.keys(FOLDER_SCOPES) as FolderScope[]).find((scope) => FOLDER_SCOPES[scope].toLowerCase() === key);
}
