import type { AuditEvent } from '../../domain/types';
import type { Store } from '../../store/store';
import { matchingRecords } from '../export';
import { verifyChain } from '../verify';
import { FigureBuilder } from './figure-builder';
import type { AuditReport, ChainCheck } from './report-types';

export interface ReportRequest {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
  tenant: string;
  now: number;
  /** Records read per store call. */
  pageSize?: number;
}

/** Requests looked up in the store at once, for those submitted before the period. */
const LOOKUP_BATCH = 50;

/**
 * Builds the report of one period from the store: walks the whole chain with
 * verifyChain, then streams the period's records page by page into the
 * figures, so memory stays bounded whatever the size of the trail.
 */
export async function buildReport(store: Store, request: ReportRequest): Promise<AuditReport> {
  const pageSize = request.pageSize ?? 1_000;
  const verification = await verifyChain(store, { pageSize });
  const builder = new FigureBuilder();
  let records = 0;
  let first: AuditEvent | undefined;
  let last: AuditEvent | undefined;
  // The store's `to` bound is inclusive.
  for await (const event of matchingRecords(store, { from: request.from, to: request.to - 1 }, { pageSize })) {
    records++;
    first ??= event;
    last = event;
    builder.add(event);
  }
  const missing = builder.requestsToLookUp();
  for (let index = 0; index < missing.length; index += LOOKUP_BATCH) {
    const found = await Promise.all(missing.slice(index, index + LOOKUP_BATCH).map((id) => store.getRequest(id)));
    for (const stored of found) if (stored) builder.learn(stored);
  }

  const chain: ChainCheck = {
    records,
    firstSeq: first?.seq ?? null,
    lastSeq: last?.seq ?? null,
    firstHash: first?.hash ?? null,
    lastHash: last?.hash ?? null,
    verified: verification.ok,
    chainRecords: verification.ok ? verification.count : 0,
  };
  if (!verification.ok) {
    // A chain broken anywhere cannot vouch for the period either; say whether the break lies inside it.
    const inPeriod = first !== undefined && last !== undefined && verification.seq >= first.seq && verification.seq <= last.seq;
    chain.failure = { seq: verification.seq, problem: verification.problem, message: verification.message, inPeriod };
  }
  return {
    period: { from: request.from, to: request.to },
    tenant: request.tenant,
    generatedAt: request.now,
    chain,
    figures: builder.finish(),
  };
}
