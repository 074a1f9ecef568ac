import type { HeldPermission } from '../../domain/drift-permission';
import type { ExchangeAdmin } from '../../m365/exchange';
import { mapLimit } from '../../shared/map-limit';
import { errorText } from '../../shared/error-text';

export interface MailboxRead {
  mailbox: string;
  held?: HeldPermission[];
  error?: string;
}

export interface ReadOptions {
  /** Mailboxes read at the same time. */
  concurrency: number;
  /** Checked before each mailbox: true stops the sweep (shutdown); unread mailboxes are reported as such. */
  stopped?: () => boolean;
  /** Called after each mailbox, read or not. */
  onRead?: (read: MailboxRead) => void;
}

/**
 * Reads the permissions of each mailbox with at most `concurrency` calls in
 * flight. Throttling (429 with Retry-After) is waited out inside the Exchange
 * connector's retry; a mailbox that still fails is retried once more after
 * all others, then reported as not read with the error. Results keep the input order.
 */
export async function readMailboxes(exchange: ExchangeAdmin, mailboxes: readonly string[], options: ReadOptions): Promise<MailboxRead[]> {
  const results: MailboxRead[] = new Array(mailboxes.length);
  const readOne = async (index: number, final: boolean): Promise<void> => {
    const mailbox = mailboxes[index];
    if (options.stopped?.()) {
      results[index] = { mailbox, error: 'not reached: the sweep was stopped (Custodian shutting down)' };
    } else {
      try {
        const entries = await exchange.listPermissions(mailbox);
        const box = mailbox.toLowerCase();
        results[index] = {
          mailbox,
          held: entries.map((entry) => ({
            mailbox: box,
            grantee: entry.grantee,
            kind: entry.kind,
            ...(entry.folder !== undefined ? { folder: entry.folder } : {}),
            ...(entry.role !== undefined ? { role: entry.role } : {}),
          })),
        };
      } catch (error) {
        results[index] = { mailbox, error: errorText(error) };
      }
    }
    if (final || results[index].held || options.stopped?.()) options.onRead?.(results[index]);
  };
  await mapLimit(mailboxes, options.concurrency, (_, index) => readOne(index, false));
  const failed = results.flatMap((result, index) => (result.error && !options.stopped?.() ? [index] : []));
  await mapLimit(failed, options.concurrency, (index) => readOne(index, true));
  return results;
}
