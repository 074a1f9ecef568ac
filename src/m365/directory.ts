/** A user as the directory (Entra ID through Graph) knows them. */
export interface DirectoryUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail?: string;
}

/** A user looked up as the owner of a mailbox to open: whether there is one is part of the answer. */
export interface MailboxUser extends DirectoryUser {
  /** False when the user exists but has no Exchange Online mailbox. */
  hasMailbox: boolean;
}

/** Directory look-ups the bot needs. Implemented over Microsoft Graph. */
export interface Directory {
  /** By UPN or primary SMTP address, with mailbox presence; null when no such user. */
  findUser(upnOrMail: string): Promise<MailboxUser | null>;
  /** By Entra object ID; null when no such user. */
  getUser(objectId: string): Promise<DirectoryUser | null>;
  /** The user's manager, or null. */
  getManager(objectId: string): Promise<DirectoryUser | null>;
  /** Whether the user is a transitive member of the group (object ID). */
  isMemberOf(userObjectId: string, groupObjectId: string): Promise<boolean>;
}

export interface MailMessage {
  to: string[];
  subject: string;
  /** Plain text body. */
  body: string;
}

/** Sends mail from the configured service mailbox (Graph sendMail). */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
