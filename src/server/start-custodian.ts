import { join } from 'node:path';
import { AfterAnswer } from '../app/after-answer';
import type { AppContext } from '../app/context';
import { processDue } from '../app/grants/due-work';
import { clearLease } from '../app/persistence/leases';
import { ConversationBook } from '../app/conversations/conversation-book';
import { RoleResolver } from '../app/roles/role-resolver';
import { AuditLog } from '../audit/audit-log';
import type { AppConfig } from '../config/app-config';
import { loadPolicies } from '../config/policies/load-policies';
import { listenHost, startupWarnings } from '../config/startup-checks';
import type { Directory, Mailer } from '../m365/directory';
import type { ExchangeAdmin } from '../m365/exchange';
import type { ActivitySearch } from '../m365/activity-search';
import { Scheduler } from '../scheduler/scheduler';
import { PeriodicJobs } from '../scheduler/periodic-jobs';
import { postDailySummary } from '../app/audit/daily-summary';
import { SecurityMailCopy } from '../app/notifiers/security-mail-copy';
import { AuditedNotifier } from '../app/notifiers/audited-notifier';
import { runAuditRetention } from '../app/audit/audit-retention-job';
import { MONTHLY_REPORT_CRON, writeMonthlyReport, type ReportSettings } from '../app/audit/monthly-report-job';
import { ReportChat } from '../teams/cards/report-chat';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { systemClock, type Clock } from '../shared/clock';
import { createLogger, type Logger } from '../shared/logger';
import { openStore } from '../store/open-store';
import type { Store } from '../store/store';
import { CardFactory } from '../teams/card-factory';
import { CustodianBot } from '../teams/custodian-bot';
import { TeamsNotifier } from '../teams/teams-notifier';
import { runAccessReview } from '../app/reviews/run-review';
import { processDueRemovals } from '../app/drift/execute-removal';
import { SweepRunner } from '../app/drift/sweep-runner';
import { loadAllowListFile } from '../config/drift-allow-list';
import { NoticeFiles } from '../config/notice-templates';
import { TeamsReviewCards } from '../teams/cards/review-cards';
import { TeamsFindingCards } from '../teams/cards/finding-cards';
import { ReviewChat } from '../teams/cards/review-chat';
import { FindingChat } from '../teams/cards/finding-chat';
import { DEFAULT_CACHE_POLICIES, type CachePolicies } from '../cache/cache-policies';
import { CachedDirectory } from '../cache/cached-directory';
import { CachedExchange } from '../cache/cached-exchange';
import { cacheConversations } from '../cache/cached-conversations';
import { rememberRequests } from '../cache/recent-requests';
import { RemovalsFirst } from '../app/grants/removals-first';
import { runCorrelation, type TraceRun } from '../app/trace/run-correlation';
import type { AuditRecordSearch } from '../m365/audit-records';
import { realSleep } from '../shared/retry';
import { TeamsTraceCards } from '../teams/cards/trace-cards';
import { TraceChat } from '../teams/cards/trace-chat';
import { createBotAdapter } from './bot-adapter';
import { createHttpServer } from './http-server';
import { RefusalAggregator } from '../app/notifiers/refusal-aggregator';
import { ForeignActivities } from '../app/edge/foreign-activities';
import { TurnGate } from '../teams/turn-gate';

/** The Microsoft 365 side, real connectors pointed at a real or the local tenant. */
export interface M365Services {
  directory: Directory;
  mailer: Mailer;
  exchange: ExchangeAdmin;
  activity: ActivitySearch;
  /** Raw audit records for the admin-audit correlation, and the app's own ID in them (absent: no correlation job). */
  auditRecords?: AuditRecordSearch;
  appId?: string;
  /** Readiness: can tokens be obtained? */
  checkTokens?: () => Promise<void>;
}

export interface StartOptions {
  config: AppConfig;
  m365: M365Services;
  clock?: Clock;
  logger?: Logger;
  /** Tests drive the scheduler by hand. */
  autoSchedule?: boolean;
  /** Host to listen on (default all interfaces in production, loopback locally). */
  host?: string;
  /** How long look-ups are kept (default DEFAULT_CACHE_POLICIES). */
  cachePolicies?: CachePolicies;
}

export interface RunningCustodian {
  url: string;
  port: number;
  ctx: AppContext;
  scheduler: Scheduler;
  store: Store;
  /** The drift sweeps of this instance, for tests and tools. */
  drift: SweepRunner;
  /** One run of the admin-audit correlation now (tests, tools); absent without an audit search. */
  runTrace?: () => Promise<TraceRun>;
  stop(): Promise<void>;
}

/** Composition root: builds every object once, starts the HTTP server and the scheduler. */
export async function startCustodian(options: StartOptions): Promise<RunningCustodian> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel, config.logFormat);
  const policies = loadPolicies(config.policyFile);
  // Without an app ID the adapter accepts anonymous calls: then loopback only, and said so.
  const jwtValidated = config.bot.appId !== '';
  const host = listenHost(config.mode, jwtValidated, options.host);
  for (const warning of startupWarnings(config.mode, jwtValidated, host)) logger.warn({ mode: config.mode, host }, warning);
  const cachePolicies = options.cachePolicies ?? DEFAULT_CACHE_POLICIES;
  // Look-ups that change slowly are kept a short while, behind the same ports (src/cache).
  // Requests this instance last stored or read are kept too, for deciding people's changes without reading first.
  const remembered = rememberRequests(cacheConversations(await openStore(config.store, logger), cachePolicies, clock));
  const store = remembered.store;
  const directory = new CachedDirectory(options.m365.directory, cachePolicies, clock);
  const exchange = new CachedExchange(options.m365.exchange, cachePolicies, clock);
  const roles = new RoleResolver(policies, directory);
  const adapter = createBotAdapter(config.bot, logger);
  const cards = new CardFactory(join(config.botDir, 'cards'), policies);
  const auditLog = new AuditLog(store, clock, logger);
  const teamsNotifier = new TeamsNotifier(adapter, config.bot.appId, new ConversationBook(store, roles), cards, logger);
  const withMail = config.securityNoticeEmail
    ? new SecurityMailCopy(teamsNotifier, options.m365.mailer, config.securityNoticeEmail, logger)
    : teamsNotifier;
  // Refusal notices are held and summarised per actor and kind; each one is still audited.
  const refusals = new RefusalAggregator(new AuditedNotifier(withMail, auditLog), auditLog, clock, logger);
  const notifier = refusals;
  const ctx: AppContext = {
    store,
    directory,
    mailer: options.m365.mailer,
    exchange,
    activity: options.m365.activity,
    activityDelayMs: config.activityReportDelayMs,
    notifier,
    audit: auditLog,
    policies,
    roles,
    clock,
    logger,
    instanceId: config.instanceId,
    leaseMs: config.leaseMs,
    notices: new NoticeFiles(join(config.botDir, 'notices')),
    afterAnswer: new AfterAnswer(auditLog, logger),
    recentRequest: remembered.recent,
    removals: new RemovalsFirst(),
  };
  const cardsDir = join(config.botDir, 'cards');
  const reviewCards = new TeamsReviewCards(cardsDir, teamsNotifier);
  const findingCards = new TeamsFindingCards(cardsDir, teamsNotifier);
  const drift = new SweepRunner(ctx, findingCards, {
    cron: config.drift.cron,
    mailboxes: config.drift.mailboxes,
    allowRules: config.drift.allowListFile ? loadAllowListFile(config.drift.allowListFile) : [],
    concurrency: config.drift.concurrency,
  });
  const traceCards = new TeamsTraceCards(cardsDir, teamsNotifier);
  const { auditRecords, appId } = options.m365;
  const runTrace =
    auditRecords && appId
      ? () => runCorrelation(ctx, { search: auditRecords, cards: traceCards, sleep: realSleep }, { ...config.trace, appId })
      : undefined;
  const reportSettings: ReportSettings = {
    tenant: config.m365?.tenantId || config.bot.appTenantId || 'local tenant',
    dir: config.reportDir,
  };
  const periodicJobs = new PeriodicJobs(
    [
      { name: 'daily-summary', cron: config.dailySummaryCron, run: (firedAt) => postDailySummary(ctx, firedAt) },
      ...(config.auditRetentionDays
        ? [
            {
              name: 'audit-retention',
              cron: '30 2 * * *',
              run: (firedAt: number) => runAuditRetention(ctx, auditLog, config.auditRetentionDays!, config.auditExportDir, firedAt),
            },
          ]
        : []),
      ...(config.reportDir
        ? [
            {
              name: 'monthly-report',
              cron: MONTHLY_REPORT_CRON,
              run: (firedAt: number) => writeMonthlyReport(ctx, { ...reportSettings, dir: config.reportDir! }, firedAt),
            },
          ]
        : []),
      {
        name: 'access-review',
        cron: config.reviews.cron,
        run: async (firedAt: number) => void (await runAccessReview(ctx, reviewCards, config.reviews, firedAt)),
      },
      // Starts the sweep and returns: a long sweep must not hold up revocations in this round.
      { name: 'drift-sweep', cron: config.drift.cron, run: async () => drift.start({ kind: 'schedule' }) },
      // Runs in the background like the sweep: a search retried after a failure must not hold up revocations in this round.
      ...(runTrace && config.trace.cron
        ? [
            {
              name: 'admin-audit-correlation',
              cron: config.trace.cron,
              run: async () => void ctx.afterAnswer.run({ name: 'admin-audit-correlation' }, runTrace),
            },
          ]
        : []),
    ],
    store,
    clock,
    logger,
  );
  const scheduler = new Scheduler({
    store,
    clock,
    logger,
    owner: config.instanceId,
    leaseMs: config.leaseMs,
    intervalMs: config.schedulerIntervalMs,
    batchSize: 1_000,
    concurrency: config.schedulerConcurrency,
    lookaheadMs: config.schedulerLookaheadMs,
    // A round claims what this instance can start at once; what it holds beyond that waits for a free worker.
    maxHeld: config.schedulerConcurrency * 2,
    maxClaimPerRound: config.schedulerConcurrency,
    work: (request) => processDue(ctx, request),
    release: async (request) => {
      await store.updateRequest(clearLease(request), request.version);
    },
    periodic: {
      async runDue() {
        const ran = await periodicJobs.runDue();
        // Retries of "Remove now" on drift findings are due work too (see app/drift/execute-removal.ts).
        if (!drift.stopping)
          await processDueRemovals(ctx, findingCards).catch((error: unknown) => logger.error({ err: error }, 'due removals failed'));
        return ran;
      },
    },
  });
  const bot = new CustodianBot(
    ctx,
    cards,
    {
      reviews: new ReviewChat(ctx, reviewCards),
      findings: new FindingChat(ctx, drift, findingCards),
      reports: new ReportChat(ctx, cardsDir, reportSettings),
      traces: new TraceChat(ctx, traceCards, findingCards),
    },
    teamsNotifier,
  );
  const server = createHttpServer({
    adapter,
    bot,
    logger,
    gate: new TurnGate(ctx, config.allowedTenantId, new ForeignActivities(notifier, clock, logger)),
    readiness: [
      { name: 'store', check: () => store.ping() },
      ...(options.m365.checkTokens ? [{ name: 'tokens', check: options.m365.checkTokens }] : []),
      {
        name: 'scheduler',
        check: async () => {
          if (options.autoSchedule !== false && !scheduler.isHealthy()) throw new Error('scheduler has not completed a round recently');
        },
      },
    ],
  });
  await new Promise<void>((resolve) => {
    server.listen(config.port, host, resolve);
  });
  // What rules were in force is part of the proof: record the policy file's fingerprint at every start.
  await auditLog.append({
    type: 'config.loaded',
    actor: { aadObjectId: 'system', name: 'Custodian' },
    details: {
      instance: config.instanceId,
      mode: config.mode,
      store: store.kind,
      policyFile: config.policyFile,
      policySha256: createHash('sha256').update(readFileSync(config.policyFile)).digest('hex'),
      jurisdictions: Object.keys(policies.jurisdictions),
    },
  });
  if (options.autoSchedule !== false) scheduler.start();
  const port = server.address().port;
  logger.info({ port, host, mode: config.mode, store: store.kind, instance: config.instanceId }, 'Custodian is listening');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ctx,
    scheduler,
    store,
    drift,
    runTrace,
    async stop() {
      await scheduler.stop();
      await drift.stop();
      refusals.close();
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      // Keep-alive connections from callers would otherwise hold the port open.
      server.server.closeAllConnections();
      await closed;
      // Work after the answers already given (grants, revocations, notices) finishes before the store closes.
      await ctx.afterAnswer.close();
      await store.close();
    },
  };
}
