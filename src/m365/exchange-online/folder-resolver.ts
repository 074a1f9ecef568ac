import { scopeOfFolderName } from '../../domain/mailbox-folder';
import type { Logger } from '../../shared/logger';
import { mailboxAnchor, type ExchangeAdminApiClient } from './admin-api-client';
import { isCommandUnavailable } from './admin-api-errors';

export interface ResolvedFolder {
  /** The folder as asked for ("Inbox"). */
  requested: string;
  /** Its name in this mailbox ("Innboks" in a Norwegian one). */
  name: string;
  /** The folder part of a folder identity: `<mailbox>:\<path>`. */
  path: string;
}

/**
 * Default folders are named in the mailbox's language, so `user:\Inbox` fails
 * on a Norwegian mailbox (fact 4 of real-tenant.md). A default folder is found
 * by its type with Get-MailboxFolderStatistics -FolderScope, as CIPP and
 * Posh365 do; any other folder name is used as given.
 */
export class FolderResolver {
  /** Set once Exchange said the app may not run Get-MailboxFolderStatistics. */
  unavailable = false;

  constructor(
    private readonly api: ExchangeAdminApiClient,
    private readonly logger: Logger,
  ) {}

  async resolve(mailbox: string, folder: string): Promise<ResolvedFolder> {
    const scope = scopeOfFolderName(folder);
    const asGiven = { requested: folder, name: folder, path: folder };
    if (!scope || this.unavailable) return asGiven;
    let rows;
    try {
      rows = (
        await this.api.run(
          'InvokeCommand',
          'Get-MailboxFolderStatistics',
          { Identity: mailbox, FolderScope: scope },
          mailboxAnchor(mailbox),
        )
      ).value;
    } catch (err) {
      if (!isCommandUnavailable(err)) throw err;
      // Degrade to the English name: right for English mailboxes, "not found" elsewhere.
      this.unavailable = true;
      this.logger.warn(
        { mailbox },
        'Get-MailboxFolderStatistics is not available to the app; folders are addressed by their English names',
      );
      return asGiven;
    }
    // -FolderScope Inbox lists the inbox and its subfolders: the one of that type is the inbox itself.
    const row = rows.find((r) => typeof r.FolderType === 'string' && r.FolderType.toLowerCase() === scope.toLowerCase()) ?? rows[0];
    const name = typeof row?.Name === 'string' && row.Name.trim() ? row.Name.trim() : undefined;
    if (!name) return asGiven;
    const folderPath = typeof row.FolderPath === 'string' && row.FolderPath.trim() ? row.FolderPath.trim() : `/${name}`;
    return { requested: folder, name, path: folderPath.replace(/^\/+/, '').replace(/\//g, '\\') };
  }
}
