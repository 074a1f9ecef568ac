import assert from 'node:assert/strict';
import type { AccessRequest } from '../../src/domain/types';
import { DuplicateKeyError, OpenRequestExistsError, type RequestStore } from '../../src/store/store';
import { T0, makeRequest, person } from './fixtures';

const MINUTE = 60_000;

/** Requests and their due work: conditional changes, lists and claims. Called from the store contract, which hands over a fresh, empty store per test. */
export function requestsContract(current: () => RequestStore): void {
  describe('requests', function () {
    it('inserts and reads back a request unchanged', async function () {
      const store = current();
      const request = makeRequest({ folder: 'Inbox', dueAt: T0 + MINUTE });
      await store.insertRequest(request);
      const got = await store.getRequest(request.id);
      assert.deepEqual(got, request);
      assert.equal(JSON.stringify(got), JSON.stringify(request), 'field order and absent optionals are kept');
    });

    it('does not invent optional fields', async function () {
      const store = current();
      const request = makeRequest();
      await store.insertRequest(request);
      const got = await store.getRequest(request.id);
      assert.ok(got);
      for (const key of ['folder', 'leaseOwner', 'leaseUntil', 'decision', 'grantedAt']) {
        assert.equal(key in got, false, `${key} should be absent`);
      }
      assert.equal(got.dueAt, null);
    });

    it('returns null for an unknown request', async function () {
      const store = current();
      assert.equal(await store.getRequest('REQ-does-not-exist'), null);
    });

    it('refuses a second insert with the same id, whatever its version', async function () {
      const store = current();
      const request = makeRequest();
      await store.insertRequest(request);
      await assert.rejects(store.insertRequest({ ...request, ticket: 'OTHER' }), DuplicateKeyError);
      await assert.rejects(store.insertRequest({ ...request, ticket: 'LATER', version: 4 }), DuplicateKeyError);
      assert.deepEqual(await store.getRequest(request.id), request);
    });

    it('holds one open request per requester and mailbox, whatever the case of the address', async function () {
      const store = current();
      const requester = person('req-open');
      const first = makeRequest({ requester, mailbox: { upn: 'Shared@Contoso.example' } });
      await store.insertRequest(first);
      for (const status of ['pending', 'granting', 'active', 'revoking'] as const) {
        const second = makeRequest({ requester, status, mailbox: { upn: 'shared@contoso.example' } });
        await assert.rejects(store.insertRequest(second), OpenRequestExistsError, status);
        assert.equal(await store.getRequest(second.id), null, `nothing of the refused ${status} insert is kept`);
      }
      // Another mailbox, another requester, or a request that is not open: all get in.
      await store.insertRequest(makeRequest({ requester, mailbox: { upn: 'other@contoso.example' } }));
      await store.insertRequest(makeRequest({ requester: person('req-other'), mailbox: { upn: 'shared@contoso.example' } }));
      await store.insertRequest(makeRequest({ requester, status: 'revoked', mailbox: { upn: 'shared@contoso.example' } }));
      // Once the first is no longer open, a new one for the mailbox is accepted, and the first cannot be reopened beside it.
      const cancelled = await store.updateRequest({ ...first, status: 'cancelled' }, first.version);
      assert.ok(cancelled);
      const next = makeRequest({ requester, mailbox: { upn: 'shared@contoso.example' } });
      await store.insertRequest(next);
      assert.equal((await store.getRequest(next.id))?.status, 'pending');
      assert.equal((await store.listRequestsByRequester(requester.aadObjectId, 10)).length, 4);
    });

    it('lets exactly one of twenty open requests for one mailbox in when they are inserted at once', async function () {
      const store = current();
      const requester = person('req-race');
      const attempts = Array.from({ length: 20 }, () => makeRequest({ requester, mailbox: { upn: 'raced@contoso.example' } }));
      const outcomes = await Promise.allSettled(attempts.map((request) => store.insertRequest(request)));
      assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
      for (const outcome of outcomes)
        if (outcome.status === 'rejected') assert.ok(outcome.reason instanceof OpenRequestExistsError, String(outcome.reason));
      assert.equal((await store.listRequestsByRequester(requester.aadObjectId, 30)).length, 1);
    });

    it('updates when the version matches and stores version + 1', async function () {
      const store = current();
      const request = makeRequest({ version: 3 });
      await store.insertRequest(request);
      const stored = await store.updateRequest({ ...request, status: 'rejected' }, 3);
      assert.ok(stored);
      assert.equal(stored.version, 4);
      assert.equal(stored.status, 'rejected');
      assert.deepEqual(await store.getRequest(request.id), stored);
      const again = await store.updateRequest({ ...stored, ticket: 'INC-2' }, 4);
      assert.equal(again?.version, 5);
      assert.equal((await store.getRequest(request.id))?.ticket, 'INC-2');
    });

    it('returns null and changes nothing on a version conflict', async function () {
      const store = current();
      const request = makeRequest({ version: 1 });
      await store.insertRequest(request);
      assert.ok(await store.updateRequest({ ...request, status: 'granting' }, 1));
      assert.equal(await store.updateRequest({ ...request, status: 'rejected' }, 1), null);
      const got = await store.getRequest(request.id);
      assert.equal(got?.status, 'granting');
      assert.equal(got?.version, 2);
    });

    it('returns null when updating a request that does not exist', async function () {
      const store = current();
      assert.equal(await store.updateRequest(makeRequest(), 1), null);
    });

    it('lets exactly one of 20 concurrent updates from the same version win', async function () {
      const store = current();
      const request = makeRequest({ version: 7 });
      await store.insertRequest(request);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.updateRequest({ ...request, status: 'cancelled', justification: `writer ${i}` }, 7)),
      );
      const winners = results.filter((r): r is AccessRequest => r !== null);
      assert.equal(winners.length, 1, `winners: ${winners.map((w) => w.justification).join(', ')}`);
      const got = await store.getRequest(request.id);
      assert.equal(got?.version, 8);
      assert.equal(got?.justification, winners[0].justification);
    });

    it('lists a requester’s requests newest first, up to the limit', async function () {
      const store = current();
      const mine = [3, 1, 4, 2].map((k) => makeRequest({ requester: person('req-a'), createdAt: T0 + k * MINUTE }));
      const theirs = makeRequest({ requester: person('req-b'), createdAt: T0 + 10 * MINUTE });
      for (const r of [...mine, theirs]) await store.insertRequest(r);
      const listed = await store.listRequestsByRequester('req-a', 3);
      assert.deepEqual(
        listed.map((r) => r.createdAt),
        [4, 3, 2].map((k) => T0 + k * MINUTE),
      );
      assert.ok(listed.every((r) => r.requester.aadObjectId === 'req-a'));
      assert.deepEqual(await store.listRequestsByRequester('nobody', 5), []);
    });

    it('lists what this store just changed: statuses and requesters as of the last update', async function () {
      const store = current();
      const first = makeRequest({ requester: person('req-c'), status: 'pending', createdAt: T0 + MINUTE });
      const second = makeRequest({ requester: person('req-c'), status: 'pending', createdAt: T0 + 2 * MINUTE });
      for (const r of [first, second]) await store.insertRequest(r);
      const approved = await store.updateRequest({ ...first, status: 'active' }, 1);
      const twice = await store.updateRequest({ ...approved!, ticket: 'INC-changed' }, 2);
      assert.deepEqual(
        (await store.listRequestsByStatus(['active'], 10)).map((r) => [r.id, r.version, r.ticket]),
        [[first.id, 3, 'INC-changed']],
      );
      assert.deepEqual(
        (await store.listRequestsByStatus(['pending'], 10)).map((r) => r.id),
        [second.id],
      );
      assert.deepEqual(await store.listRequestsByRequester('req-c', 10), [second, twice]);
    });

    it('lists requests in any of the given statuses, oldest first, up to the limit', async function () {
      const store = current();
      const a = makeRequest({ status: 'active', createdAt: T0 + 5 * MINUTE });
      const b = makeRequest({ status: 'revoking', createdAt: T0 + 2 * MINUTE });
      const c = makeRequest({ status: 'pending', createdAt: T0 + 1 * MINUTE });
      const d = makeRequest({ status: 'active', createdAt: T0 + 3 * MINUTE });
      for (const r of [a, b, c, d]) await store.insertRequest(r);
      const listed = await store.listRequestsByStatus(['active', 'revoking'], 10);
      assert.deepEqual(
        listed.map((r) => r.id),
        [b.id, d.id, a.id],
      );
      assert.deepEqual(
        (await store.listRequestsByStatus(['active', 'revoking'], 2)).map((r) => r.id),
        [b.id, d.id],
      );
      assert.deepEqual(await store.listRequestsByStatus([], 10), []);
    });

    it('rejects a negative limit with a message naming it', async function () {
      const store = current();
      await assert.rejects(store.listRequestsByRequester('x', -1), /limit/);
    });
  });

  describe('claimDue', function () {
    const now = T0 + 60 * MINUTE;

    it('leases only due, unleased requests, earliest due first, up to the limit', async function () {
      const store = current();
      const late = makeRequest({ dueAt: now - 1 * MINUTE });
      const early = makeRequest({ dueAt: now - 9 * MINUTE });
      const exact = makeRequest({ dueAt: now });
      const future = makeRequest({ dueAt: now + 1 });
      const never = makeRequest({ dueAt: null });
      const leased = makeRequest({ dueAt: now - 5 * MINUTE, leaseOwner: 'other', leaseUntil: now + MINUTE });
      for (const r of [late, early, exact, future, never, leased]) await store.insertRequest(r);

      const first = await store.claimDue({ now, owner: 'worker-1', leaseMs: 30_000, limit: 2 });
      assert.deepEqual(
        first.map((r) => r.id),
        [early.id, late.id],
      );
      for (const claimed of first) {
        assert.equal(claimed.leaseOwner, 'worker-1');
        assert.equal(claimed.leaseUntil, now + 30_000);
        assert.equal(claimed.version, 2);
        assert.deepEqual(await store.getRequest(claimed.id), claimed);
      }
      const rest = await store.claimDue({ now, owner: 'worker-1', leaseMs: 30_000, limit: 10 });
      assert.deepEqual(
        rest.map((r) => r.id),
        [exact.id],
      );
      assert.deepEqual(await store.claimDue({ now, owner: 'worker-2', leaseMs: 30_000, limit: 10 }), []);
    });

    it('takes over a lapsed lease, and the previous holder can no longer update', async function () {
      const store = current();
      const request = makeRequest({ dueAt: now - MINUTE });
      await store.insertRequest(request);
      const [held] = await store.claimDue({ now, owner: 'worker-1', leaseMs: 10_000, limit: 1 });
      assert.equal(held.leaseOwner, 'worker-1');
      assert.deepEqual(await store.claimDue({ now: now + 9_999, owner: 'worker-2', leaseMs: 10_000, limit: 1 }), []);
      const [taken] = await store.claimDue({ now: now + 10_000, owner: 'worker-2', leaseMs: 10_000, limit: 1 });
      assert.equal(taken.id, request.id);
      assert.equal(taken.leaseOwner, 'worker-2');
      assert.equal(taken.version, held.version + 1);
      assert.equal(await store.updateRequest({ ...held, dueAt: null }, held.version), null);
      assert.ok(await store.updateRequest({ ...taken, dueAt: null }, taken.version));
      assert.deepEqual(await store.claimDue({ now: now + 99 * MINUTE, owner: 'worker-3', leaseMs: 1, limit: 5 }), []);
    });

    it('never hands the same request to two concurrent claimers', async function () {
      const store = current();
      const due = Array.from({ length: 30 }, (_, i) => makeRequest({ dueAt: now - i * 1000 }));
      for (const r of due) await store.insertRequest(r);
      const batches = await Promise.all(
        Array.from({ length: 12 }, (_, i) => store.claimDue({ now, owner: `worker-${i}`, leaseMs: MINUTE, limit: 4 })),
      );
      const ids = batches.flat().map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length, 'a request was claimed twice');
      assert.equal(ids.length, due.length, 'every due request was claimed once');
      for (const [i, batch] of batches.entries()) {
        for (const claimed of batch) {
          assert.equal(claimed.leaseOwner, `worker-${i}`);
          assert.deepEqual(await store.getRequest(claimed.id), claimed, 'a claimed copy is what the store holds');
        }
      }
    });

    it('claims ahead up to a horizon, leasing each until its due time plus the lease', async function () {
      const store = current();
      const soon = makeRequest({ dueAt: now + 10_000 });
      const due = makeRequest({ dueAt: now - MINUTE });
      const later = makeRequest({ dueAt: now + 30_001 });
      for (const r of [soon, due, later]) await store.insertRequest(r);
      const claimed = await store.claimDue({ now, horizon: now + 30_000, owner: 'ahead', leaseMs: 5_000, limit: 10 });
      assert.deepEqual(
        claimed.map((r) => [r.id, r.leaseUntil]),
        [
          [due.id, now + 5_000],
          [soon.id, now + 15_000],
        ],
      );
      for (const copy of claimed) assert.deepEqual(await store.getRequest(copy.id), copy, 'each lease end is what the store holds');
      // Each is held until its due time + lease, not only until now + lease.
      assert.deepEqual(
        (await store.claimDue({ now: now + 14_999, horizon: now + 30_000, owner: 'other', leaseMs: 5_000, limit: 10 })).map((r) => r.id),
        [due.id],
      );
      assert.deepEqual(
        (await store.claimDue({ now: now + 15_000, owner: 'other', leaseMs: 5_000, limit: 10 })).map((r) => r.id),
        [soon.id],
      );
      await assert.rejects(store.claimDue({ now, horizon: now - 1, owner: 'w', leaseMs: 1000, limit: 1 }), /horizon/);
    });

    it('follows the newest version: a due time moved later, cleared or moved earlier', async function () {
      const store = current();
      const moved = makeRequest({ dueAt: now - MINUTE });
      const cleared = makeRequest({ dueAt: now - MINUTE });
      const earlier = makeRequest({ dueAt: now + 60 * MINUTE });
      for (const r of [moved, cleared, earlier]) await store.insertRequest(r);
      assert.ok(await store.updateRequest({ ...moved, dueAt: now + 10 * MINUTE }, 1));
      assert.ok(await store.updateRequest({ ...cleared, status: 'cancelled', dueAt: null }, 1));
      assert.ok(await store.updateRequest({ ...earlier, dueAt: now - 1 }, 1));
      const first = await store.claimDue({ now, owner: 'w', leaseMs: 60 * MINUTE, limit: 10 });
      assert.deepEqual(
        first.map((r) => [r.id, r.version]),
        [[earlier.id, 3]],
      );
      assert.deepEqual(await store.claimDue({ now: now + 10 * MINUTE - 1, owner: 'w', leaseMs: 60 * MINUTE, limit: 10 }), []);
      assert.deepEqual(
        (await store.claimDue({ now: now + 10 * MINUTE, owner: 'w', leaseMs: 60 * MINUTE, limit: 10 })).map((r) => r.id),
        [moved.id],
      );
    });

    it('a claim is a change like any other: an update based on the version before it loses', async function () {
      const store = current();
      const request = makeRequest({ dueAt: now });
      await store.insertRequest(request);
      const [claimed] = await store.claimDue({ now, owner: 'w', leaseMs: MINUTE, limit: 1 });
      assert.equal(claimed.version, 2);
      assert.equal(await store.updateRequest({ ...request, status: 'cancelled' }, 1), null);
      const { leaseOwner: _owner, leaseUntil: _until, ...released } = claimed;
      const done = await store.updateRequest({ ...released, status: 'cancelled', dueAt: null }, 2);
      assert.equal(done?.version, 3);
      assert.deepEqual(await store.getRequest(request.id), done);
      assert.deepEqual(await store.claimDue({ now: now + 99 * MINUTE, owner: 'w', leaseMs: MINUTE, limit: 5 }), []);
    });

    it('rejects nonsensical options', async function () {
      const store = current();
      await assert.rejects(store.claimDue({ now, owner: '', leaseMs: 1000, limit: 1 }), /owner/);
      await assert.rejects(store.claimDue({ now, owner: 'w', leaseMs: 0, limit: 1 }), /leaseMs/);
    });
  });
}
