import assert from 'node:assert/strict';
import { LookupCache } from '../../src/cache/lookup-cache';
import { CachedDirectory } from '../../src/cache/cached-directory';
import { DEFAULT_CACHE_POLICIES } from '../../src/cache/cache-policies';
import { cacheConversations } from '../../src/cache/cached-conversations';
import type { Directory, DirectoryUser, MailboxUser } from '../../src/m365/directory';
import type { ConversationRecord, Store } from '../../src/store/store';
import { ManualClock } from '../../src/shared/clock';

// A realistic time: lru-cache reads a start time of 0 as "no TTL".
const START = Date.UTC(2026, 10, 27, 9, 0, 0);
const POLICY = { max: 3, ttlMs: 60_000, refusalTtlMs: 10_000 };

/** A look-up that counts its calls and answers what it is told. */
function counted<V>(answer: (key: string) => Promise<V>) {
  const calls: string[] = [];
  return { calls, load: (key: string) => () => (calls.push(key), answer(key)) };
}

describe('cache/LookupCache', () => {
  it('asks once per key within the TTL and again after it', async () => {
    const clock = new ManualClock(START);
    const cache = new LookupCache<string>(POLICY, clock);
    const source = counted(async (key) => `v-${key}`);
    assert.equal(await cache.get('a', source.load('a')), 'v-a');
    clock.advance(59_999);
    assert.equal(await cache.get('a', source.load('a')), 'v-a');
    assert.deepEqual(source.calls, ['a']);
    clock.advance(2);
    await cache.get('a', source.load('a'));
    assert.deepEqual(source.calls, ['a', 'a']);
  });

  it('keeps a refusal shorter than an answer that grants', async () => {
    const clock = new ManualClock(START);
    const cache = new LookupCache<boolean>(POLICY, clock, (member) => !member);
    const source = counted(async (key) => key === 'member');
    await cache.get('member', source.load('member'));
    await cache.get('outsider', source.load('outsider'));
    clock.advance(10_001);
    await cache.get('member', source.load('member'));
    await cache.get('outsider', source.load('outsider'));
    assert.deepEqual(source.calls, ['member', 'outsider', 'outsider']);
  });

  it('refuses a policy that would keep refusals longer than grants', () => {
    assert.throws(() => new LookupCache({ max: 1, ttlMs: 1_000, refusalTtlMs: 2_000 }, new ManualClock(START)), /refusal/);
  });

  it('shares one call among concurrent asks, and never keeps a failure', async () => {
    const cache = new LookupCache<string>(POLICY, new ManualClock(START));
    let fail = true;
    const source = counted(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      if (fail) throw new Error('directory down');
      return 'ok';
    });
    const both = await Promise.allSettled([cache.get('a', source.load('a')), cache.get('a', source.load('a'))]);
    assert.deepEqual(
      both.map((outcome) => outcome.status),
      ['rejected', 'rejected'],
    );
    assert.equal(source.calls.length, 1);
    fail = false;
    assert.equal(await cache.get('a', source.load('a')), 'ok');
    assert.equal(source.calls.length, 2);
  });

  it('is bounded: the least recently used answer goes first', async () => {
    const cache = new LookupCache<string>(POLICY, new ManualClock(START));
    const source = counted(async (key) => key);
    for (const key of ['a', 'b', 'c', 'd']) await cache.get(key, source.load(key));
    assert.equal(cache.size, 3);
    await cache.get('a', source.load('a'));
    assert.deepEqual(source.calls, ['a', 'b', 'c', 'd', 'a']);
  });

  it('an answer still on its way when forgotten is not kept', async () => {
    const cache = new LookupCache<string>(POLICY, new ManualClock(START));
    let release!: () => void;
    const slow = cache.get('a', () => new Promise<string>((resolve) => (release = () => resolve('old'))));
    cache.forget('a');
    release();
    assert.equal(await slow, 'old');
    const source = counted(async () => 'new');
    assert.equal(await cache.get('a', source.load('a')), 'new');
  });
});

describe('cache/CachedDirectory', () => {
  const user = (id: string): DirectoryUser => ({ id, displayName: id, userPrincipalName: `${id}@contoso.com` });

  function fakeDirectory() {
    const calls: string[] = [];
    let member = true;
    const directory: Directory = {
      findUser: async (address): Promise<MailboxUser | null> => (calls.push(`find ${address}`), { ...user('alex'), hasMailbox: true }),
      getUser: async (id) => (calls.push(`user ${id}`), id === 'ghost' ? null : user(id)),
      getManager: async (id) => (calls.push(`manager ${id}`), user('boss')),
      isMemberOf: async (id, group) => (calls.push(`member ${id} ${group}`), member),
    };
    return { directory, calls, removeMember: () => (member = false) };
  }

  it('answers repeats from memory, by case-insensitive key', async () => {
    const fake = fakeDirectory();
    const cached = new CachedDirectory(fake.directory, DEFAULT_CACHE_POLICIES, new ManualClock(START));
    await cached.findUser('Alex@Contoso.com');
    await cached.findUser('alex@contoso.com');
    await cached.getUser('u1');
    await cached.getUser('U1');
    await cached.getManager('u1');
    await cached.getManager('u1');
    assert.deepEqual(fake.calls, ['find Alex@Contoso.com', 'user u1', 'manager u1']);
  });

  it('a removed role member loses the role within the membership TTL', async () => {
    const fake = fakeDirectory();
    const clock = new ManualClock(START);
    const cached = new CachedDirectory(fake.directory, DEFAULT_CACHE_POLICIES, clock);
    assert.equal(await cached.isMemberOf('u1', 'g1'), true);
    fake.removeMember();
    assert.equal(await cached.isMemberOf('u1', 'g1'), true, 'still within the TTL');
    clock.advance(DEFAULT_CACHE_POLICIES.roleMembership.ttlMs + 1);
    assert.equal(await cached.isMemberOf('u1', 'g1'), false);
  });

  it('an unknown user is asked about again sooner than a known one', async () => {
    const fake = fakeDirectory();
    const clock = new ManualClock(START);
    const cached = new CachedDirectory(fake.directory, DEFAULT_CACHE_POLICIES, clock);
    await cached.getUser('ghost');
    await cached.getUser('u1');
    clock.advance(DEFAULT_CACHE_POLICIES.users.refusalTtlMs + 1);
    await cached.getUser('ghost');
    await cached.getUser('u1');
    assert.deepEqual(fake.calls, ['user ghost', 'user u1', 'user ghost']);
  });
});

describe('cache/cacheConversations', () => {
  function fakeStore() {
    const reads: string[] = [];
    const saved = new Map<string, ConversationRecord>();
    const store = {
      kind: 'fake',
      getConversation: async (key: string) => (reads.push(key), saved.get(key) ?? null),
      putConversation: async (record: ConversationRecord) => void saved.set(record.key, record),
      ping: async function (this: { kind: string }) {
        return this.kind;
      },
    } as unknown as Store;
    return { store, reads, saved };
  }

  it('reads a reference once, replaces it on our own write, and passes everything else through', async () => {
    const fake = fakeStore();
    const cached = cacheConversations(fake.store, DEFAULT_CACHE_POLICIES, new ManualClock(START));
    assert.equal(await cached.getConversation('approvals'), null);
    await cached.putConversation({ key: 'approvals', reference: { conversation: { id: '19:a' } }, registeredAt: 1 });
    assert.deepEqual((await cached.getConversation('approvals'))?.reference, { conversation: { id: '19:a' } });
    await cached.getConversation('approvals');
    assert.deepEqual(fake.reads, ['approvals']);
    assert.equal(await (cached.ping as unknown as () => Promise<string>)(), 'fake', 'methods run on the store itself');
  });

  it('a reference registered elsewhere is seen once "none" has lapsed', async () => {
    const fake = fakeStore();
    const clock = new ManualClock(START);
    const cached = cacheConversations(fake.store, DEFAULT_CACHE_POLICIES, clock);
    assert.equal(await cached.getConversation('security'), null);
    fake.saved.set('security', { key: 'security', reference: { id: 's' }, registeredAt: 1 });
    assert.equal(await cached.getConversation('security'), null);
    clock.advance(DEFAULT_CACHE_POLICIES.conversations.refusalTtlMs + 1);
    assert.deepEqual((await cached.getConversation('security'))?.reference, { id: 's' });
  });
});
