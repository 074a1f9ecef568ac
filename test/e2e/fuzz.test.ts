import assert from 'node:assert/strict';
import { FIELD_LIMITS } from '../../src/domain/field-limits';
import { Harness, USERS } from '../support/harness';
import { cardAction, channel, message, personal, TENANT_ID } from '../support/teams-activities';
import type { TeamsUser } from '../support/teams-activity';

// A thousand random activities and invokes through the real server on
// loopback: random and missing fields, huge strings, wrong types, random
// verbs, other channels and tenants, malformed JSON. The bot must answer
// each without a 5xx, stay up, keep its memory bounded and store nothing
// oversized.

const COUNT = 1_000;
const CONCURRENCY = 4;

/** A small seeded generator (mulberry32), so a failure can be replayed with the same seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}

type Rng = ReturnType<typeof random>;

const WORDS = [
  'request',
  'status',
  'mine',
  'cancel',
  'release',
  'audit',
  'revoke-all',
  'help',
  'sweep',
  'reviews',
  'report',
  'use this channel for approvals',
];
const VERBS = [
  'approve',
  'reject',
  'cancel',
  'release',
  'attest',
  'refresh',
  'submitRequest',
  'reviewFine',
  'reviewEscalate',
  'findingRemove',
  'findingAllow',
  '',
];
const NAMES = ['adaptiveCard/action', 'composeExtension/query', 'task/fetch', 'signin/verifyState', '', 'x'];
const TYPES = [
  'message',
  'invoke',
  'conversationUpdate',
  'messageReaction',
  'event',
  'installationUpdate',
  'typing',
  'endOfConversation',
  'zzz',
];

function text(rng: Rng): string {
  const sizes = [0, 1, 10, 100, 2_001, 4_001, 20_000, 120_000];
  const size = rng.pick(sizes);
  const alphabet = ['a', ' ', '*', '[', ']', '(', ')', '<at>', '\\', '"', '\u0000', '\uD83D\uDE00', '\n', 'é', '{', '$'];
  let out = rng.chance(0.5) ? `${rng.pick(WORDS)} ` : '';
  while (out.length < size) out += rng.chance(0.9) ? 'x'.repeat(Math.min(512, size - out.length)) : rng.pick(alphabet);
  return out;
}

function anyValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 6 : 8)) {
    case 0:
      return null;
    case 1:
      return rng.int(1e9) - 5e8;
    case 2:
      return rng.chance(0.5);
    case 3:
    case 4:
      return text(rng);
    case 5:
      return undefined;
    case 6:
      return Array.from({ length: rng.int(4) }, () => anyValue(rng, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: rng.int(4) }, () => [
          rng.pick(['requestId', 'comment', 'x', 'stepId', 'outcome', 'mailbox']),
          anyValue(rng, depth + 1),
        ]),
      );
  }
}

function user(rng: Rng): TeamsUser {
  if (rng.chance(0.6)) return rng.pick([USERS.adele, USERS.alex, USERS.diego, USERS.johanna]);
  return {
    id: `29:fuzz-${rng.int(50)}`,
    name: rng.chance(0.1) ? 'n'.repeat(300) : `Fuzz ${rng.int(50)}`,
    aadObjectId: `f0000000-0000-4000-8000-${String(rng.int(50)).padStart(12, '0')}`,
  };
}

/** One request body: a JSON text, or (rarely) something that is not JSON. */
function body(rng: Rng, serviceUrl: string): string {
  if (rng.chance(0.04)) return rng.pick(['{"type":"message",', 'null', '[]', '"x"', 'not json', '{"type":1}', '{}']);
  const who = user(rng);
  const place = rng.chance(0.5) ? personal(who) : channel('19:fuzz@thread.tacv2');
  const activity: Record<string, unknown> = rng.chance(0.45)
    ? message(serviceUrl, who, place, text(rng))
    : cardAction(
        serviceUrl,
        who,
        place,
        rng.chance(0.2) ? text(rng) : rng.pick(VERBS),
        (anyValue(rng, 1) ?? {}) as Record<string, unknown>,
      );
  if (rng.chance(0.15)) activity.type = rng.pick(TYPES);
  if (rng.chance(0.1)) activity.name = rng.pick(NAMES);
  if (rng.chance(0.05)) activity.channelId = rng.pick(['webchat', 'directline', 'emulator', '']);
  if (rng.chance(0.05))
    (activity.channelData as { tenant: { id: unknown } }).tenant.id = rng.pick(['other-tenant', 42, TENANT_ID.toUpperCase()]);
  if (rng.chance(0.05)) activity.serviceUrl = rng.pick(['not a url', 'ftp://x', 'http://127.0.0.1:1']);
  // Random fields: removed, retyped, or made huge.
  for (const key of ['from', 'conversation', 'channelData', 'recipient', 'text', 'value', 'entities', 'attachments', 'replyToId', 'locale'])
    if (rng.chance(0.04)) {
      if (rng.chance(0.5)) delete activity[key];
      else activity[key] = anyValue(rng);
    }
  if (rng.chance(0.05)) activity[`extra-${rng.int(5)}`] = text(rng);
  return JSON.stringify(activity);
}

/** The longest string anywhere in a stored value. */
function longestString(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce<number>((max, item) => Math.max(max, longestString(item)), 0);
  if (value && typeof value === 'object') return Object.values(value).reduce<number>((max, item) => Math.max(max, longestString(item)), 0);
  return 0;
}

describe('fuzz: a thousand random activities through the real server', function () {
  this.timeout(240_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start();
    await h.registerChannels();
  });
  after(() => h.stop());

  it('answers every one without a 5xx, stays up, keeps memory bounded and stores nothing oversized', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261202);
    const rng = random(seed);
    const bodies = Array.from({ length: COUNT }, () => body(rng, h.serviceUrl));
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const started = Date.now();
    let rssAtStart = 0;
    let index = 0;
    const worker = async () => {
      while (index < bodies.length) {
        const mine = index++;
        if (mine === 100) rssAtStart = process.memoryUsage().rss;
        const response = await fetch(`${h.custodian.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: bodies[mine],
        });
        const answer = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500)
          failures.push(`#${mine} (seed ${seed}): ${response.status} ${answer.slice(0, 200)} for ${summary(bodies[mine])}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await h.settle();
    const elapsed = Date.now() - started;
    const rssGrowth = process.memoryUsage().rss - rssAtStart;
    console.log(
      `      statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${elapsed} ms; RSS growth ${Math.round(rssGrowth / 1e6)} MB`,
    );

    assert.deepEqual(failures, [], 'no 5xx');
    assert.equal(
      [...statuses.values()].reduce((a, b) => a + b, 0),
      COUNT,
      'every request was answered',
    );
    const health = await fetch(`${h.custodian.url}/healthz`);
    assert.equal(health.status, 200, 'the process is still up');
    // Generous: the bot holds no per-activity state beyond what it stores.
    assert.ok(rssGrowth < 300e6, `RSS grew ${Math.round(rssGrowth / 1e6)} MB`);

    const longestAllowed = Math.max(...Object.values(FIELD_LIMITS));
    const audit = await h.custodian.store.listAudit({});
    for (const event of audit)
      assert.ok(
        longestString(event) <= longestAllowed,
        `audit #${event.seq} ${event.type} holds a ${longestString(event)}-character string`,
      );
    const requests = await h.custodian.store.listRequestsByStatus(
      ['pending', 'rejected', 'cancelled', 'expired', 'granting', 'active', 'grant_failed', 'revoking', 'revoked'],
      10_000,
    );
    for (const request of requests) assert.ok(longestString(request) <= longestAllowed, `${request.id} holds an oversized string`);
    for (const who of [USERS.adele, USERS.alex, USERS.diego, USERS.johanna]) {
      const member = await h.custodian.store.getConversation(`member:${who.aadObjectId}`);
      if (member) assert.ok(longestString(member) <= longestAllowed, `${who.name}'s stored reference holds an oversized string`);
    }
  });
});

/** The parts of a body that decide how it is handled, short enough for a failure message. */
function summary(raw: string): string {
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    return JSON.stringify({ type: parsed.type, name: parsed.name, channelId: parsed.channelId, value: parsed.value }).slice(0, 400);
  } catch {
    return raw.slice(0, 100);
  }
}
