// Switches between the way Microsoft 365 really answers (the default) and the
// politer answers this tenant used to give. Each field names the fact of
// real-tenant.md it imitates and, where there is one, the public capture.

export interface Realism {
  /**
   * Fact 1: a cmdlet that outputs nothing answers 2xx without `value`
   * ('absent'), with `value: null` ('null'), or politely with `value: []`
   * ('empty'). [graph2otel internal/exoclient/exoclient.go: all three occur live]
   */
  noOutput: 'absent' | 'null' | 'empty';
  /**
   * Fact 2: a cmdlet outside the app's Exchange role answers 403 with a body
   * of NUL bytes ('nulBody'), or politely 400 CommandNotFoundException JSON.
   * [graph2otel internal/exoclient/errors_test.go, TestParseCmdletErrorNonJSONBody]
   */
  forbiddenCmdlet: 'nulBody' | 'commandNotFound';
  /** Fact 3: Get-MailboxPermission rows hold several rights in one element ("FullAccess, ReadPermission"). */
  combinedRights: boolean;
  /** Fact 4: folder names follow each mailbox's language (Innboks, Posteingang). */
  localizedFolders: boolean;
  /** Fact 5: how folder-permission rows name a user: display name, an object, or (polite) the address. */
  folderHolder: 'displayName' | 'object' | 'address';
  /**
   * Fact 6: AuditEnabled on Get-Mailbox keeps the mailbox's stored value, which
   * "doesn't change from False to True" under auditing on by default.
   * Polite: AuditEnabled reports whether the mailbox is really audited.
   */
  auditEnabledAsStored: boolean;
  /** Fact 7: v2.0 endpoints refuse parameters their page does not document (400 Invalid Operation). */
  strictV2Parameters: boolean;
  /**
   * Fact 12: Exchange next-page links expire (30 minutes by default) and
   * replaying one on beta InvokeCommand answers 400 "Expired or Invalid
   * pagination request" at once. Polite: every link works.
   * [graph2otel internal/exoclient/exoclient.go, live 2026-07-23]
   */
  expiringNextLinks: boolean;
  /** Fact 9: 429 answers carry Retry-After only when a test asks for one. */
  throttleRetryAfter: boolean;
  /** Fact 13: POST /v1.0/security/auditLog/queries answers 404 UnknownError while beta works. */
  auditSearchV1NotFound: boolean;
  /** Fact 14: an application access policy limits mail permissions (mailboxSettings included) to the service mailbox. */
  accessPolicy: boolean;
  /** Fact 15: Mail.Send comes from Exchange RBAC for Applications, so it is not in the token's roles. */
  mailSendViaRbac: boolean;
}

/** How real tenants answer: the default everywhere. */
export const REALISTIC: Readonly<Realism> = Object.freeze({
  noOutput: 'absent',
  forbiddenCmdlet: 'nulBody',
  combinedRights: true,
  localizedFolders: true,
  folderHolder: 'displayName',
  auditEnabledAsStored: true,
  strictV2Parameters: true,
  expiringNextLinks: true,
  throttleRetryAfter: false,
  auditSearchV1NotFound: true,
  accessPolicy: true,
  mailSendViaRbac: true,
});

/** The polite answers this tenant gave before: kept so that tests prove the connectors handle both. */
export const POLITE: Readonly<Realism> = Object.freeze({
  noOutput: 'empty',
  forbiddenCmdlet: 'commandNotFound',
  combinedRights: false,
  localizedFolders: false,
  folderHolder: 'address',
  auditEnabledAsStored: false,
  strictV2Parameters: false,
  expiringNextLinks: false,
  throttleRetryAfter: true,
  auditSearchV1NotFound: false,
  accessPolicy: false,
  mailSendViaRbac: false,
});

export function realism(changes: Partial<Realism> = {}, base: Readonly<Realism> = REALISTIC): Realism {
  return { ...base, ...changes };
}
