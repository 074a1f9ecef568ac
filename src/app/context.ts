import type { PolicySet } from '../domain/policy';
import type { Directory, Mailer } from '../m365/directory';
import type { ExchangeAdmin } from '../m365/exchange';
import type { ActivitySearch } from '../m365/activity-search';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { Store } from '../store/store';
import type { AccessRequest } from '../domain/types';
import type { AfterAnswer } from './after-answer';
import type { RemovalsFirst } from './grants/removals-first';
import type { AuditSink, NoticeTemplates, Notifier } from './ports';
import type { RoleResolver } from './roles/role-resolver';

/** Everything the use cases need, built once by the composition root. */
export interface AppContext {
  store: Store;
  directory: Directory;
  mailer: Mailer;
  exchange: ExchangeAdmin;
  /** Purview audit search: what a grantee did in the mailbox. */
  activity: ActivitySearch;
  /** Wait this long after access ended before searching (audit records arrive late). */
  activityDelayMs: number;
  notifier: Notifier;
  audit: AuditSink;
  policies: PolicySet;
  roles: RoleResolver;
  clock: Clock;
  logger: Logger;
  /** Identifies this process in leases. */
  instanceId: string;
  /** How long a claimed piece of work stays reserved for this instance. */
  leaseMs: number;
  /** Runs the slow part of a click or command after it was answered (the only way to). */
  afterAnswer: AfterAnswer;
  /** The notice texts (bot/notices). */
  notices: NoticeTemplates;
  /**
   * This instance's last copy of a request, if it has one: a person's change is
   * decided on it without reading first (the conditional write proves it current).
   */
  recentRequest?: (id: string) => AccessRequest | undefined;
  /** Revocations due now go before the cards and notices of those done. */
  removals?: RemovalsFirst;
}
