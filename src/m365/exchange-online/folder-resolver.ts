import { LookupCache, type CachePolicy } from '../../cache/lookup-cache';
import { scopeOfFolderName } from '../../domain/mailbox-folder';
import { systemClock } from '../../shared/clock';
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
/**
 * A default folder's name changes only when someone re-localizes the mailbox
 * (Set-MailboxRegionalConfiguration -LocalizeDefaultFolderName), so a found
 * folder is kept an hour: a submit's standing-access check, its grant and the
 * sweep then ask once. A fallback to the name as given is kept a minute only.
 */
export const FOLDER_CACHE: CachePolicy = { max: 10_000, ttlMs: 60 * 60_000, refusalTtlMs: 60_000 };

/** A folder as resolved, and whether Exchange named it (else it is the name as given). */
interface Lookup {
  folder: ResolvedFolder;
  named: boolean;
}

export class FolderResolver {
  /** Set once Exchange said the app may not run Get-MailboxFolderStatistics. */
  unavailable = false;
  // Concurrent look-ups of one folder (the standing-access check reads several at once) share one call.
  private readonly found = new LookupCache<Lookup>(FOLDER_CACHE, systemClock, (lookup) => !lookup.named);

  constructor(
    private readonly api: ExchangeAdminApiClient,
    private readonly logger: Logger,
  ) {}

  async resolve(mailbox: string, folder: string): Promise<ResolvedFolder> {
    const scope = scopeOfFolderName(folder);
    if (!scope || this.unavailable) return { requested: folder, name: folder, path: folder };
    const key = `${mailbox.toLowerCase()}|${scope.toLowerCase()}`;
    const { folder: resolved } = await this.found.get(key, () => this.lookUp(mailbox, folder, scope));
    return { ...resolved, requested: folder };
  }

  private async lookUp(mailbox: string, folder: string, scope: string): Promise<Lookup> {
    const asGiven = { folder: { requested: folder, name: folder, path: folder }, named: false };
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
    return { folder: { requested: folder, name, path: folderPath.replace(/^\/+/, '').replace(/\//g, '\\') }, named: true };
  }
}
