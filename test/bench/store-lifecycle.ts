import { MongoClient } from 'mongodb';
import { COLLECTIONS } from '../../src/store/mongo/mongo-collections';
import { Harness, USERS, cardText } from '../support/harness';
import { cardAction, personal } from '../support/teams-activities';
import { table } from './stats';

// One request through its whole life on the MongoDB store, in the real bot
// (Teams turns through the harness, the simulated tenant, the scheduler):
// every command the bot's store sends is counted with the driver's command
// monitoring, per phase and per collection.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** After the lifecycle the issue counts (submit, approve, grant, expiry, revoke): shown, but outside the target. */
const AFTER_ACCESS = 'after-access report';
/** A second request submitted from a chat line instead of the form: shown, outside the lifecycle. */
const CHAT_LINE = 'submit from a chat line';
const FORM = 'lifecycle-form-activity';
/** Target of the issue "MongoDB store, the plain way": commands per lifecycle besides the audit appends. */
export const LIFECYCLE_TARGET = 8;

interface Sent {
  phase: string;
  command: string;
  collection: string;
}

export interface LifecycleReport {
  skipped?: string;
  phases: string[];
  sent: Sent[];
  /** Documents left for the finished request: its own, and its audit records. */
  kept?: { requests: number; audit: number };
  status?: string;
}

const isAuditAppend = (sent: Sent) => sent.collection === COLLECTIONS.audit && sent.command === 'insert';

export async function measureStoreLifecycle(uri: string | null, noServerReason: string): Promise<LifecycleReport> {
  if (!uri) return { skipped: `no MongoDB-wire server: ${noServerReason}`, phases: [], sent: [] };
  const dbName = `custodian_lifecycle_${Date.now().toString(36)}`;
  const sent: Sent[] = [];
  let phase = '';
  const harness = await Harness.start({
    // The after-access activity report waits a minute, so that it is counted as its own phase.
    env: { MONGODB_URI: uri, MONGODB_DB: dbName, CUSTODIAN_ACTIVITY_REPORT_DELAY_MINUTES: '1' },
    onStoreCommand: (command, collection) => {
      if (phase !== '') sent.push({ phase, command, collection: collection ?? '-' });
    },
  });
  const admin = await MongoClient.connect(uri);
  try {
    await harness.registerChannels();
    // Calendar jobs due at start (summary, sweep) run in this first round, outside the count; the sweep runs on in the
    // background, so it is awaited too.
    await harness.runScheduler();
    await harness.custodian.drift.idle();
    const phases: [string, () => Promise<unknown>][] = [];
    let id = '';
    phases.push([
      'submit',
      async () => {
        // The request form, whose own message becomes the status card.
        const form = { mailbox: 'alex@contoso.com', ticket: 'INC-7', jurisdiction: 'EU', access: 'FullAccess', duration: '1h' };
        // Answered in time, the form's card is replaced by the status card in the invoke response.
        const answer = await harness.post(
          cardAction(
            harness.serviceUrl,
            USERS.adele,
            personal(USERS.adele),
            'submitRequest',
            { ...form, justification: 'lifecycle bench' },
            FORM,
          ),
        );
        id = /CUS-\d{4}-\d{4}/.exec(cardText(answer.body?.value))?.[0] ?? '';
      },
    ]);
    phases.push(['approve + grant', () => harness.click(USERS.megan, 'approve', { requestId: id })]);
    phases.push([
      'expiry + revoke',
      async () => {
        harness.clock.advance(HOUR);
        // One round, as the background scheduler makes: its next look for due work is the next round's, whatever expired.
        await harness.runScheduler(1);
      },
    ]);
    phases.push([
      AFTER_ACCESS,
      async () => {
        harness.clock.advance(2 * MINUTE);
        await harness.runScheduler();
      },
    ]);
    phases.push([
      CHAT_LINE,
      async () => {
        // Another request, from a chat line: its status card is a new message, remembered once it is sent.
        await harness.say(USERS.adele, 'request alex@contoso.com ticket INC-8 jurisdiction EU access full for 1h because lifecycle bench');
      },
    ]);
    for (const [name, step] of phases) {
      phase = name;
      await step();
    }
    phase = '';
    const status = (await harness.custodian.store.getRequest(id))?.status;
    const db = admin.db(dbName);
    const kept = {
      requests: await db.collection(COLLECTIONS.requests).countDocuments({ _id: id as never }),
      audit: await db.collection(COLLECTIONS.audit).countDocuments({ requestId: id }),
    };
    return { phases: phases.map(([name]) => name), sent, kept, status };
  } finally {
    await harness.stop();
    await admin
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await admin.close();
  }
}

export function printLifecycleReport(report: LifecycleReport): string {
  const lines = ['\n## Store commands per request lifecycle (issue "MongoDB store, the plain way")\n'];
  if (report.skipped) return [...lines, `SKIPPED: ${report.skipped}.`, ''].join('\n');
  lines.push(
    "- one request in the real bot: submitted in Teams, approved (the grant runs after the answer), expired and revoked by the scheduler, then the after-access activity report; commands counted with the driver's command monitoring",
    '',
  );
  const describe = (list: Sent[]) => {
    const counts = new Map<string, number>();
    for (const item of list) counts.set(`${item.command} ${item.collection}`, (counts.get(`${item.command} ${item.collection}`) ?? 0) + 1);
    return [...counts].map(([what, count]) => `${count}× ${what}`).join(', ') || '-';
  };
  const rows = [...report.phases, 'total'].map((phase) => {
    const inPhase = phase === 'total' ? report.sent : report.sent.filter((item) => item.phase === phase);
    const appends = inPhase.filter(isAuditAppend);
    const rest = inPhase.filter((item) => !isAuditAppend(item));
    const onRequests = rest.filter((item) => item.collection === COLLECTIONS.requests);
    const others = rest.filter((item) => item.collection !== COLLECTIONS.requests);
    return [phase, String(rest.length), describe(onRequests), describe(others), String(appends.length)];
  });
  lines.push(table(['phase', 'commands (without audit appends)', 'on requests', 'on other collections', 'audit appends'], rows), '');
  const total = report.sent.filter((item) => !isAuditAppend(item));
  const inPhase = (phase: string) => total.filter((item) => item.collection === COLLECTIONS.requests && item.phase === phase).length;
  const onRequests = total.filter(
    (item) => item.collection === COLLECTIONS.requests && item.phase !== AFTER_ACCESS && item.phase !== CHAT_LINE,
  ).length;
  const afterAccess = inPhase(AFTER_ACCESS);
  lines.push(
    `- on the request itself from submit (the form) to revoke: ${onRequests} commands (target ≤ ${LIFECYCLE_TARGET}: ${onRequests <= LIFECYCLE_TARGET ? 'PASS' : 'FAIL'}), then ${afterAccess} for the after-access report; a submit from a chat line instead of the form: ${inPhase(CHAT_LINE)} on its request; all commands without audit appends: ${total.length}`,
    `- documents kept for the finished request (status ${report.status ?? '?'}): ${report.kept?.requests ?? '?'} in requests, ${report.kept?.audit ?? '?'} audit records (target: 1 plus its audit records: ${report.kept?.requests === 1 ? 'PASS' : 'FAIL'})`,
    '',
  );
  return lines.join('\n');
}
