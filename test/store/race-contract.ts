import assert from 'node:assert/strict';
import type { RequestStore, Store } from '../../src/store/store';
import { T0, makeRequest } from './fixtures';

/** Clients with their own connections to one database, and a store to set it up and read it. */
export interface RaceClients {
  setup: Store;
  clients: Pick<RequestStore, 'updateRequest' | 'claimDue'>[];
  close(): Promise<void>;
}

const CLIENTS = 20;
const ROUNDS = 200;
const DUE = 300;

/** Concurrency proven on the adapter: many connections racing for the same versions and the same due work. */
export function raceContract(name: string, open: (clients: number) => Promise<RaceClients>): void {
  describe(`Store races: ${name}`, function () {
    this.timeout(180_000);
    let race: RaceClients;

    beforeEach(async function () {
      race = await open(CLIENTS);
    });

    afterEach(async function () {
      await race?.close();
    });

    it(`${CLIENTS} clients racing a conditional change on one request: exactly one winner per version, over ${ROUNDS} rounds`, async function () {
      const request = makeRequest();
      await race.setup.insertRequest(request);
      const badRounds: string[] = [];
      let lastWinner = '';
      for (let version = 1; version <= ROUNDS; version++) {
        const results = await Promise.all(
          race.clients.map((client, i) => client.updateRequest({ ...request, justification: `client ${i} at ${version}` }, version)),
        );
        const winners = results.filter((result) => result !== null);
        if (winners.length !== 1) badRounds.push(`version ${version}: ${winners.length} winners`);
        if (winners[0]) lastWinner = winners[0].justification;
      }
      assert.deepEqual(badRounds, []);
      const stored = await race.setup.getRequest(request.id);
      assert.equal(stored?.version, ROUNDS + 1);
      assert.equal(stored?.justification, lastWinner, 'the stored change is the last winner’s');
    });

    it(`${DUE} due grants claimed by ${CLIENTS} racing claimants: each claimed exactly once`, async function () {
      const now = T0 + 3_600_000;
      const due = Array.from({ length: DUE }, (_, i) => makeRequest({ status: 'active', dueAt: now - (i % 50) * 1000 }));
      for (const request of due) await race.setup.insertRequest(request);
      const claimedBy = await Promise.all(
        race.clients.map(async (client, i) => {
          const ids: string[] = [];
          for (;;) {
            const batch = await client.claimDue({ now, owner: `claimant-${i}`, leaseMs: 600_000, limit: 10 });
            if (batch.length === 0) return ids;
            for (const claimed of batch) assert.equal(claimed.leaseOwner, `claimant-${i}`);
            ids.push(...batch.map((claimed) => claimed.id));
          }
        }),
      );
      const all = claimedBy.flat();
      const twice = all.filter((id, index) => all.indexOf(id) !== index);
      assert.deepEqual(twice, [], 'claimed more than once');
      assert.equal(all.length, DUE, 'every due grant claimed');
      for (const [i, ids] of claimedBy.entries()) {
        for (const id of ids)
          assert.equal((await race.setup.getRequest(id))?.leaseOwner, `claimant-${i}`, `${id} is stored as leased to its claimant`);
      }
      assert.ok(claimedBy.filter((ids) => ids.length > 0).length > 1, 'the claimants really competed');
    });
  });
}
