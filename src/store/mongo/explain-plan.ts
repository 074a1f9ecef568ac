/** What a MongoDB query plan says about index use. */
export interface PlanSummary {
  /** True when the plan reads through an index and never scans the whole collection. */
  usesIndex: boolean;
  indexName?: string;
  /** Human-readable plan, for messages. */
  detail: string;
}

type Doc = Record<string, unknown>;

function asDoc(value: unknown): Doc | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Doc) : undefined;
}

/** Stage names of a MongoDB plan tree, depth first, with the index names of index scans. */
function walkMongoPlan(node: unknown, stages: string[], indexes: string[]): void {
  const plan = asDoc(node);
  if (!plan) return;
  if (typeof plan.stage === 'string') {
    stages.push(plan.stage);
    if (/IXSCAN|DISTINCT_SCAN/.test(plan.stage) && typeof plan.indexName === 'string') indexes.push(plan.indexName);
  }
  // Classic engine: inputStage(s); slot-based engine: queryPlan; sharded: shards[].winningPlan.
  walkMongoPlan(plan.inputStage, stages, indexes);
  walkMongoPlan(plan.queryPlan, stages, indexes);
  walkMongoPlan(plan.winningPlan, stages, indexes);
  for (const key of ['inputStages', 'shards']) {
    const list = plan[key];
    if (Array.isArray(list)) for (const child of list) walkMongoPlan(child, stages, indexes);
  }
}

/** Summarises MongoDB `explain` output (queryPlanner.winningPlan tree). */
export function summarizeExplain(explain: Doc): PlanSummary {
  const planner = asDoc(explain.queryPlanner) ?? {};
  const stages: string[] = [];
  const indexes: string[] = [];
  walkMongoPlan(planner.winningPlan, stages, indexes);
  const usesIndex = indexes.length > 0 && !stages.includes('COLLSCAN');
  return { usesIndex, indexName: indexes[0], detail: stages.join(' <- ') || JSON.stringify(planner) };
}
