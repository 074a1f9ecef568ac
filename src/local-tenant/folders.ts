// Well-known mailbox folders and their names in a mailbox's language. Exchange
// names the default folders in the language the mailbox was set up with, and
// `user:\Inbox` then fails on a Norwegian mailbox, whose inbox is "Innboks"
// (fact 4 of real-tenant.md; names as Outlook shows them in each language).

/** FolderType of Get-MailboxFolderStatistics -> the English (canonical) folder name. */
export const FOLDER_TYPES: Record<string, string> = {
  Root: 'Top of Information Store',
  Inbox: 'Inbox',
  Calendar: 'Calendar',
  Contacts: 'Contacts',
  SentItems: 'Sent Items',
  DeletedItems: 'Deleted Items',
  Drafts: 'Drafts',
  Archive: 'Archive',
  JunkEmail: 'Junk Email',
};

export type MailboxLanguage = 'en' | 'nb' | 'de';

const LOCALIZED: Record<Exclude<MailboxLanguage, 'en'>, Record<string, string>> = {
  nb: {
    Inbox: 'Innboks',
    Calendar: 'Kalender',
    Contacts: 'Kontakter',
    SentItems: 'Sendte elementer',
    DeletedItems: 'Slettede elementer',
    Drafts: 'Utkast',
    Archive: 'Arkiv',
    JunkEmail: 'Søppelpost',
  },
  de: {
    Inbox: 'Posteingang',
    Calendar: 'Kalender',
    Contacts: 'Kontakte',
    SentItems: 'Gesendete Elemente',
    DeletedItems: 'Gelöschte Elemente',
    Drafts: 'Entwürfe',
    Archive: 'Archiv',
    JunkEmail: 'Junk-E-Mail',
  },
};

/** The folder's name in a mailbox of that language ("Top of Information Store" stays as it is). */
export function localName(type: string, language: MailboxLanguage): string {
  if (language === 'en' || type === 'Root') return FOLDER_TYPES[type];
  return LOCALIZED[language][type] ?? FOLDER_TYPES[type];
}

/** The FolderType whose name in this language is `name` (case-insensitive), if any. */
export function typeOfName(name: string, language: MailboxLanguage): string | undefined {
  const key = name.trim().replace(/^\\+/, '').toLowerCase();
  if (key === '') return 'Root';
  return Object.keys(FOLDER_TYPES).find((type) => localName(type, language).toLowerCase() === key);
}
