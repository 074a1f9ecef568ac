import assert from 'node:assert/strict';
import { summarizeExplain } from '../../../src/store/mongo/explain-plan';

// Shapes of `explain('queryPlanner')` output: MongoDB's classic and slot-based
// engines, a sharded cluster, and FerretDB 1.x on SQLite (captured from v1.24.2).
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
const ferretSqlite = {
  queryPlanner: { Plan: ['id=2 parent=0 notused=0 detail=SCAN r_f70c4715'] },
  explainVersion: '1',
  serverInfo: { host: 'vm', version: '7.0.42', gitVersion: 'unknown', ferretdbVersion: 'v1.24.2' },
  filterPushdown: false,
  sortPushdown: false,
  limitPushdown: false,
  ok: 1,
};
const ferretIndexed = {
  queryPlanner: { Plan: ['id=3 parent=0 notused=0 detail=SEARCH requests_1 USING INDEX requests_1_due (dueAt<?)'] },
  serverInfo: { ferretdbVersion: 'v1.24.2' },
};

describe('store/mongo/explain-plan', function () {
  it('finds the index scan in MongoDB plans from either engine and from shards', function () {
    for (const plan of [classicIndex, sbeIndex, sharded]) {
      const summary = summarizeExplain(plan);
      assert.equal(summary.server, 'mongodb');
      assert.equal(summary.usesIndex, true, summary.detail);
      assert.equal(summary.indexName, 'due');
    }
  });

  it('reports a collection scan as not using an index', function () {
    const summary = summarizeExplain(collScan);
    assert.equal(summary.usesIndex, false);
    assert.match(summary.detail, /COLLSCAN/);
  });

  it('reads FerretDB plans from the backend’s query-plan lines', function () {
    const scan = summarizeExplain(ferretSqlite);
    assert.equal(scan.server, 'ferretdb');
    assert.equal(scan.usesIndex, false);
    assert.match(scan.detail, /SCAN r_f70c4715/);
    const indexed = summarizeExplain(ferretIndexed);
    assert.equal(indexed.usesIndex, true);
    assert.equal(indexed.indexName, 'requests_1_due');
  });
});
