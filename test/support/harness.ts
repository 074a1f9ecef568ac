import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { startLocalTenant, type LocalTenant } from '../../src/local-tenant';
import { createM365, m365ConfigForLocalTenant, type M365Clients } from '../../src/m365/connect';
import { startCustodian, type RunningCustodian } from '../../src/server/start-custodian';
import { ManualClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import type { StoreConfig } from '../../src/store/open-store';
import type { TeamsUser } from './teams-activity';
import { FakeConnector } from './fake-connector';
import { cardAction, channel, message, personal, type Place } from './teams-activities';

export const USERS = {
  adele: { id: '29:adele', name: 'Adele Vance', aadObjectId: 'a0000000-0000-4000-8000-000000000001' },
  megan: { id: '29:megan', name: 'Megan Bowen', aadObjectId: 'a0000000-0000-4000-8000-000000000002' },
  nestor: { id: '29:nestor', name: 'Nestor Wilke', aadObjectId: 'a0000000-0000-4000-8000-000000000003' },
  lynne: { id: '29:lynne', name: 'Lynne Robbins', aadObjectId: 'a0000000-0000-4000-8000-000000000004' },
  alex: { id: '29:alex', name: 'Alex Wilber', aadObjectId: 'a0000000-0000-4000-8000-000000000005' },
  johanna: { id: '29:johanna', name: 'Johanna Lorenz', aadObjectId: 'a0000000-0000-4000-8000-000000000006' },
  diego: { id: '29:diego', name: 'Diego Siciliani', aadObjectId: 'a0000000-0000-4000-8000-000000000007' },
} satisfies Record<string, TeamsUser>;

export const APPROVALS_CHANNEL = '19:approvals@thread.tacv2';
export const SECURITY_CHANNEL = '19:security@thread.tacv2';
export const HR_CHANNEL = '19:hr@thread.tacv2';

export interface HarnessOptions {
  policyFile?: string;
  /** Reuse a data directory (restart tests). */
  dataDir?: string;
  clock?: ManualClock;
  tenant?: LocalTenant;
  env?: Record<string, string>;
  /** MongoDB store only: called with every command the bot's store sends (the bench counts them). */
  onStoreCommand?: (commandName: string, collection?: string) => void;
}

/**
 * The whole bot as Teams sees it: the real restify server and botbuilder
 * adapter, the real Microsoft 365 connectors against the local tenant, and a
 * loopback Bot Framework connector recording what the bot sends.
 */
export class Harness {
  readonly connector = new FakeConnector();
  clock!: ManualClock;
  tenant!: LocalTenant;
  custodian!: RunningCustodian;
  m365!: M365Clients;
  serviceUrl = '';
  dataDir = '';
  config!: AppConfig;
  private onStoreCommand?: HarnessOptions['onStoreCommand'];
  private ownsTenant = false;
  private ownsDataDir = false;

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const harness = new Harness();
    await harness.boot(options);
    return harness;
  }

  private async boot(options: HarnessOptions): Promise<void> {
    this.clock = options.clock ?? new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0));
    this.ownsTenant = !options.tenant;
    this.tenant = options.tenant ?? (await startLocalTenant());
    this.ownsDataDir = !options.dataDir;
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'custodian-e2e-'));
    this.serviceUrl = await this.connector.start(this.serviceUrl ? Number(new URL(this.serviceUrl).port) : 0);
    this.config = loadConfig({
      PORT: '1',
      CUSTODIAN_DATA_DIR: this.dataDir,
      CUSTODIAN_POLICY_FILE: options.policyFile ?? 'bot/policies.yaml',
      CUSTODIAN_INSTANCE_ID: 'test-instance',
      LOG_LEVEL: 'silent',
      // Tests run the admin-audit correlation by hand (custodian.runTrace), not on the scheduler's rounds.
      CUSTODIAN_TRACE_CRON: 'off',
      ...options.env,
    });
    this.config.port = 0;
    if (options.onStoreCommand) {
      this.onStoreCommand = options.onStoreCommand;
      const store: StoreConfig = { ...this.config.store, onCommand: options.onStoreCommand };
      this.config.store = store;
    }
    this.m365 = await createM365(m365ConfigForLocalTenant(this.tenant), silentLogger, {
      verifyBaseDelayMs: 1,
      sleep: async () => undefined,
    });
    this.custodian = await startCustodian({
      config: this.config,
      m365: {
        directory: this.m365.directory,
        mailer: this.m365.mailer,
        exchange: this.m365.exchange,
        activity: this.m365.activity,
        auditRecords: this.m365.auditRecords,
        appId: this.m365.appId,
      },
      clock: this.clock,
      logger: silentLogger,
      autoSchedule: false,
    });
  }

  /** Stops the bot only (the tenant and data survive), then starts it again as after a crash or deploy. */
  async restart(): Promise<void> {
    await this.custodian.stop();
    await this.m365.close();
    await this.connector.stop();
    const connector = this.connector;
    connector.reset();
    await this.boot({
      dataDir: this.dataDir,
      clock: this.clock,
      tenant: this.tenant,
      policyFile: this.config.policyFile,
      onStoreCommand: this.onStoreCommand,
    });
  }

  async stop(): Promise<void> {
    await this.custodian.stop();
    await this.m365.close();
    await this.connector.stop();
    if (this.ownsTenant) await this.tenant.close();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /**
   * POSTs an activity to /api/messages as the Bot Framework channel would,
   * then waits for the work the bot does after answering (grants, notices);
   * returns status and body.
   */
  async post(activity: object): Promise<{ status: number; body: any }> {
    const answer = await this.answerOf(activity);
    await this.settle();
    return answer;
  }

  /** POSTs an activity and returns as soon as the bot answered, with the time the answer took. */
  async answerOf(activity: object): Promise<{ status: number; body: any; ms: number }> {
    const started = performance.now();
    const response = await fetch(`${this.custodian.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, ms: performance.now() - started };
  }

  /** Waits until the work the bot started after its answers is done. */
  settle(): Promise<void> {
    return this.custodian.ctx.afterAnswer.idle();
  }

  say(user: TeamsUser, text: string, place: Place = personal(user)) {
    return this.post(message(this.serviceUrl, user, place, text));
  }

  click(user: TeamsUser, verb: string, data: Record<string, unknown>, place: Place = channel(APPROVALS_CHANNEL), replyToId?: string) {
    return this.post(cardAction(this.serviceUrl, user, place, verb, data, replyToId));
  }

  /** A click whose answer is returned at once, before the work after it is done. */
  clickAnswer(user: TeamsUser, verb: string, data: Record<string, unknown>, place: Place = channel(APPROVALS_CHANNEL)) {
    return this.answerOf(cardAction(this.serviceUrl, user, place, verb, data));
  }

  /** Registers the approvals and security channels as the admin (Megan). */
  async registerChannels(): Promise<void> {
    await this.say(USERS.megan, 'use this channel for approvals', channel(APPROVALS_CHANNEL));
    await this.say(USERS.megan, 'use this channel for security notices', channel(SECURITY_CHANNEL));
  }

  personalTexts(user: TeamsUser): string[] {
    return this.connector.texts(personal(user).conversationId);
  }

  personalCards(user: TeamsUser) {
    return this.connector.cards(personal(user).conversationId);
  }

  /**
   * Runs every due job now (expiry, retries, reminders), as the scheduler's next round would;
   * `maxBatches` 1 stops after the first claim's work, as a background round does.
   */
  runScheduler(maxBatches?: number): Promise<number> {
    return this.custodian.scheduler.runOnce(maxBatches);
  }
}

/** All text in a card, for assertions that read like what a person sees. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value']) if (typeof record[key] === 'string') parts.push(record[key]);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return parts.join('\n');
}

/** Action.Execute verbs on a card. */
export function cardVerbs(card: unknown): string[] {
  const verbs: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'Action.Execute' && typeof record.verb === 'string' && record.verb !== 'refresh') verbs.push(record.verb);
      Object.entries(record).forEach(([key, value]) => key !== 'refresh' && walk(value));
    }
  };
  walk(card);
  return verbs;
}
