import { defaultFixture } from '../../src/local-tenant/fixture';
import { startLocalTenant } from '../../src/local-tenant';
import { APPROVALS_CHANNEL, Harness, cardText } from '../support/harness';
import { APPROVERS, generatedUser } from '../support/generated-users';
import { cardAction, channel, message, personal } from '../support/teams-activities';
import { ms, summarize, type Summary } from './stats';

// Submit and approve turns against the local tenant with a latency profile
// ("real": Exchange changes 2-5 s, reads 0.5-1.5 s, Graph 50-300 ms), through
// the real server, adapter, bot, store and connectors. Measures the HTTP
// answer Teams waits for (target p99 < 1 s) and the time until the outcome
// is visible: the submit's status card, and the grant confirmed by Exchange.

export interface LatencyProfileOptions {
  /** Latency profiles to run, e.g. ["off", "real"]. */
  profiles: string[];
  /** Requests per profile: half from the form, half from chat lines. */
  requests: number;
  /** Requests submitted and approved at once in the concurrent half. */
  concurrency: number;
  progress: (line: string) => void;
}

export interface LatencyProfileRow {
  profile: string;
  what: string;
  latency: Summary;
}

const POLL_MS = 20;
const GIVE_UP_MS = 120_000;

/** Waits until `ready` holds, polling; returns the time from `since`. */
async function until(since: number, ready: () => boolean | Promise<boolean>, what: string): Promise<number> {
  while (!(await ready())) {
    if (performance.now() - since > GIVE_UP_MS) throw new Error(`${what}: not seen within ${GIVE_UP_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return performance.now() - since;
}

/** Runs `count` jobs, `width` at a time. */
async function inWaves(count: number, width: number, job: (index: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < count; start += width)
    await Promise.all(Array.from({ length: Math.min(width, count - start) }, (_, k) => job(start + k)));
}

async function measureProfile(profile: string, options: LatencyProfileOptions): Promise<LatencyProfileRow[]> {
  const { requests, concurrency } = options;
  const tenant = await startLocalTenant({ fixture: defaultFixture({ extraMailboxes: 2 * requests }), latency: profile });
  const h = await Harness.start({ tenant });
  const samples = { submitAnswer: [] as number[], submitShown: [] as number[], approveAnswer: [] as number[], granted: [] as number[] };
  try {
    options.progress(`latency profile "${profile}": registering channels`);
    await h.say(APPROVERS[0], 'use this channel for approvals', channel(APPROVALS_CHANNEL));
    await h.say(APPROVERS[0], 'use this channel for security notices', channel('19:security@thread.tacv2'));
    const ids: string[] = new Array<string>(requests);

    const submit = async (index: number): Promise<void> => {
      const requester = generatedUser(index + 1);
      const mailbox = generatedUser(requests + index + 1).upn;
      const place = personal(requester.teams);
      const fromForm = index % 2 === 0;
      const ticket = `INC-${2000 + index}`;
      const formActivity = `form-${index}`;
      const activity = fromForm
        ? cardAction(
            h.serviceUrl,
            requester.teams,
            place,
            'submitRequest',
            {
              mailbox,
              ticket,
              jurisdiction: 'EU',
              access: 'FullAccess',
              duration: '4h',
              justification: `phishing investigation ${ticket}`,
            },
            formActivity,
          )
        : message(
            h.serviceUrl,
            requester.teams,
            place,
            `request ${mailbox} ticket ${ticket} jurisdiction EU access full for 4h because phishing ${ticket}`,
          );
      const started = performance.now();
      const answer = await h.answerOf(activity);
      if (answer.status !== 200) throw new Error(`submit answered HTTP ${answer.status}`);
      samples.submitAnswer.push(answer.ms);
      // Shown: the form's card (replaced in place when late) or the chat's newest card names the request.
      const shown = () => {
        const card = fromForm
          ? (h.connector.latest(place.conversationId, formActivity) ?? (answer.body as { value?: unknown } | undefined)?.value)
          : h.connector.cards(place.conversationId).at(-1);
        return /CUS-\d{4}-\d{4}/.exec(cardText(card))?.[0];
      };
      samples.submitShown.push(await until(started, () => shown() !== undefined, `status card of ${requester.upn}`));
      ids[index] = shown()!;
    };

    const approve = async (index: number): Promise<void> => {
      const started = performance.now();
      const answer = await h.answerOf(
        cardAction(h.serviceUrl, APPROVERS[index % APPROVERS.length], channel(APPROVALS_CHANNEL), 'approve', { requestId: ids[index] }),
      );
      if (answer.status !== 200) throw new Error(`approve answered HTTP ${answer.status}`);
      samples.approveAnswer.push(answer.ms);
      samples.granted.push(
        await until(started, async () => (await h.custodian.store.getRequest(ids[index]))?.status === 'active', `grant of ${ids[index]}`),
      );
    };

    const half = Math.floor(requests / 2);
    options.progress(`latency profile "${profile}": ${half} submits one at a time, ${requests - half} ${concurrency} at a time`);
    for (let index = 0; index < half; index++) await submit(index);
    await inWaves(requests - half, concurrency, (k) => submit(half + k));
    await h.settle();
    options.progress(`latency profile "${profile}": ${half} approvals one at a time, ${requests - half} ${concurrency} at a time`);
    for (let index = 0; index < half; index++) await approve(index);
    await inWaves(requests - half, concurrency, (k) => approve(half + k));
    await h.settle();
  } finally {
    await h.stop();
    await tenant.close();
  }
  return [
    { profile, what: 'submit: HTTP answer', latency: summarize(samples.submitAnswer) },
    { profile, what: 'submit: status card shown', latency: summarize(samples.submitShown) },
    { profile, what: 'approve: HTTP answer', latency: summarize(samples.approveAnswer) },
    { profile, what: 'approve: grant confirmed (status active)', latency: summarize(samples.granted) },
  ];
}

export async function measureLatencyProfiles(options: LatencyProfileOptions): Promise<LatencyProfileRow[]> {
  const rows: LatencyProfileRow[] = [];
  for (const profile of options.profiles) rows.push(...(await measureProfile(profile, options)));
  return rows;
}

export function printLatencyProfileReport(
  rows: LatencyProfileRow[],
  options: Pick<LatencyProfileOptions, 'requests' | 'concurrency'>,
): string {
  const lines = [
    '',
    `## Answer and outcome times by tenant latency profile (${options.requests} requests per profile: half from the form, half from chat lines; half one at a time, half ${options.concurrency} at once)`,
    '',
    '| profile | what | n | p50 | p99 | max |',
    '|---|---|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.profile} | ${row.what} | ${row.latency.count} | ${ms(row.latency.p50)} ms | ${ms(row.latency.p99)} ms | ${ms(row.latency.max)} ms |`,
    ),
    '',
    'Target: every HTTP answer p99 < 1 s (Teams gives up on an invoke after 10-15 s).',
    '',
  ];
  return lines.join('\n');
}
