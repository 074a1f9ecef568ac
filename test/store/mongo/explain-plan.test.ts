import assert from 'node:assert/strict';
import { summarizeExplain } from '../../../src/store/mongo/explain-plan';

// Shapes of `explain('queryPlanner')` output: MongoDB's classic and slot-based
// engines and a sharded cluster.
const classicIndex = {
  queryPlanner: {
    winningPlan: {
      stage: 'LIMIT',
      inputStage: { stage: 'FETCH', filter: { $or: [] }, inputStage: { stage: 'IXSCAN', keyPattern: { dueAt: 1 }, indexName: 'due' } },
    },
  },
  serverInfo: { host: 'db', port: 27017, version: '7.0.12' },
};
const sbeIndex = {
  explainVersion: '2',
  queryPlanner: {
    winningPlan: {
      queryPlan: { stage: 'LIMIT', inputStage: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'due' } } },
      slotBasedPlan: { slots: '...', stages: '...' },
    },
  },
};
const collScan = { queryPlanner: { winningPlan: { stage: 'SORT', inputStage: { stage: 'COLLSCAN', direction: 'forward' } } } };
const sharded = {
  queryPlanner: {
    winningPlan: {
      stage: 'SHARD_MERGE_SORT',
      shards: [{ shardName: 's0', winningPlan: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'due' } } }],
    },
  },
};
describe('store/mongo/explain-plan', function () {
  it('finds the index scan in MongoDB plans from either engine and from shards', function () {
    for (const plan of [classicIndex, sbeIndex, sharded]) {
      const summary = summarizeExplain(plan);
      assert.equal(summary.usesIndex, true, summary.detail);
      assert.equal(summary.indexName, 'due');
    }
  });

  it('reports a collection scan as not using an index', function () {
    const summary = summarizeExplain(collScan);
    assert.equal(summary.usesIndex, false);
    assert.match(summary.detail, /COLLSCAN/);
  });
});
