import assert from 'node:assert/strict';
import { approve } from '../../src/domain/approval-rules';
import { mutateRequest } from '../../src/app/persistence/mutate-request';
import { rememberRequests } from '../../src/cache/recent-requests';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { T0, makeRequest, person } from '../store/fixtures';

const security = { person: person('sec-1'), roles: ['security'] };

describe('cache/recent-requests: the last copy of a request this instance stored or read', () => {
  let inner: SqliteStore;
  beforeEach(() => {
    inner = SqliteStore.open(':memory:');
  });
  afterEach(() => inner.close());

  it('keeps what was inserted, updated or read, as a copy nobody can change in place', async () => {
    const { store, recent } = rememberRequests(inner);
    const request = makeRequest();
    await store.insertRequest(request);
    assert.deepEqual(recent(request.id), request);
    recent(request.id)!.ticket = 'CHANGED';
    request.ticket = 'CHANGED TOO';
    assert.notEqual(recent(request.id)!.ticket, 'CHANGED');
    assert.notEqual(recent(request.id)!.ticket, 'CHANGED TOO');
    const stored = await store.updateRequest({ ...recent(request.id)!, ticket: 'INC-9' }, 1);
    assert.equal(recent(request.id)?.version, 2);
    assert.deepEqual(recent(request.id), stored);
    const other = makeRequest();
    await inner.insertRequest(other);
    assert.equal(recent(other.id), undefined, 'not seen by this instance');
    await store.getRequest(other.id);
    assert.deepEqual(recent(other.id), other);
  });

  it('forgets a copy whose write lost (someone else wrote first), and one that is gone', async () => {
    const { store, recent } = rememberRequests(inner);
    const request = makeRequest();
    await store.insertRequest(request);
    await inner.updateRequest({ ...request, ticket: 'ELSEWHERE' }, 1);
    assert.equal(await store.updateRequest({ ...request, ticket: 'HERE' }, 1), null);
    assert.equal(recent(request.id), undefined);
  });

  it('keeps at most as many requests as it is told, the least recently used go first', async () => {
    const { store, recent } = rememberRequests(inner, 2);
    const [a, b, c] = [makeRequest(), makeRequest(), makeRequest()];
    for (const request of [a, b, c]) await store.insertRequest(request);
    assert.equal(recent(a.id), undefined);
    assert.ok(recent(b.id) && recent(c.id));
  });

  it('a decision on a copy another instance has replaced is made again on what is stored', async () => {
    const { store, recent } = rememberRequests(inner);
    const request = makeRequest({ steps: [], requiredApprovals: [{ role: 'security', count: 1 }] });
    await store.insertRequest(request);
    // Another instance (the same database, not through this wrapper) cancels it.
    await inner.updateRequest({ ...request, status: 'cancelled' }, 1);
    const seen: string[] = [];
    const result = await mutateRequest(
      store,
      request.id,
      (current) => {
        seen.push(current.status);
        return approve(current, security, T0);
      },
      recent(request.id),
    );
    assert.deepEqual(seen, ['pending', 'cancelled'], 'decided on the kept copy, then on the stored one');
    assert.equal(result.ok, false);
    assert.equal((await inner.getRequest(request.id))?.status, 'cancelled');
    assert.deepEqual(recent(request.id)?.status, 'cancelled');
  });
});
