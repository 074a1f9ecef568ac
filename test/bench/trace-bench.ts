import { traceFindingRecords } from '../../src/app/trace/trace-records';
import { recordAdminCmdlet } from '../../src/local-tenant/admin-audit';
import { Harness, USERS, cardText } from '../support/harness';
import { RssSampler } from './rss-sampler';

// The admin-audit correlation over records from the simulated tenant, through
// the real Graph audit search (beta, pages of 999), with 1% of the records
// made by people outside Custodian and the rest by Custodian's app for one
// approved grant. Two runs over the same window: the second must raise nothing.

export interface TraceBenchOptions {
  records: number;
  progress: (line: string) => void;
}

const MB = 1024 * 1024;

export async function runTraceBench(options: TraceBenchOptions): Promise<string> {
  const untraced = Math.round(options.records / 100);
  const h = await Harness.start({
    env: {
      CUSTODIAN_TRACE_RETRY_SECONDS: '0',
      CUSTODIAN_TRACE_ACCESS_MAILBOXES: 'off',
      CUSTODIAN_TRACE_MAX_RECORDS: String(options.records * 2),
    },
  });
  try {
    h.tenant.state.now = () => h.clock.now();
    h.tenant.state.audit.pageSize = 999;
    await h.registerChannels();
    await h.say(USERS.adele, 'request alex@contoso.com ticket INC-1 jurisdiction EU access full for 8h because bench');
    const requestId = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    await h.click(USERS.megan, 'approve', { requestId });
    options.progress(`trace: writing ${options.records} audit records (${untraced} untraced)`);
    const start = h.clock.now();
    const tenant = h.tenant.state;
    const appId = tenant.app.clientId;
    for (let i = 0; i < options.records; i++) {
      tenant.now = () => start + 1_000 + i * 100;
      if (i % 100 === 50)
        recordAdminCmdlet(
          tenant,
          'Add-MailboxPermission',
          { Identity: 'nestor@contoso.com', User: 'diego@contoso.com', AccessRights: ['FullAccess'] },
          { kind: 'user', upn: 'adele@contoso.com' },
        );
      else
        recordAdminCmdlet(
          tenant,
          'Add-MailboxPermission',
          { Identity: 'alex@contoso.com', User: 'adele@contoso.com', AccessRights: ['FullAccess'] },
          { kind: 'app', appId },
        );
    }
    tenant.now = () => h.clock.now();
    h.clock.set(start + 1_000 + options.records * 100 + 60_000);
    const rows: string[] = [];
    for (const label of ['first run', 'second run (same window again)']) {
      options.progress(`trace: ${label}`);
      const rss = new RssSampler().start();
      const heapBefore = process.memoryUsage().heapUsed;
      const began = performance.now();
      const run = await h.custodian.runTrace!();
      await h.settle();
      const ms = performance.now() - began;
      const peak = rss.stop();
      rows.push(
        `| ${label} | ${run.admin.records} | ${(ms / 1000).toFixed(1)} s | ${Math.round(run.admin.records / (ms / 1000))} | ${run.admin.traced} | ${run.admin.raised} | ${run.admin.known} | ${(peak / MB).toFixed(0)} MB | ${((process.memoryUsage().heapUsed - heapBefore) / MB).toFixed(0)} MB |`,
      );
      h.clock.advance(30 * 60_000);
    }
    const stored = (await traceFindingRecords(h.custodian.store).list()).length;
    const cards = h.connector.cards('19:security@thread.tacv2').filter((card) => cardText(card).startsWith('Untraced change')).length;
    return [
      '',
      `## Admin-audit correlation (${options.records} records, ${untraced} untraced; real server, local tenant, SQLite)`,
      '',
      '| run | records read | time | records/s | traced | alerts raised | already known | peak RSS | heap growth |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `Alerts raised exactly once: ${stored === untraced && cards === untraced ? 'yes' : 'NO'} (${stored} findings stored, ${cards} cards posted, ${untraced} expected).`,
      '',
    ].join('\n');
  } finally {
    await h.stop();
  }
}
