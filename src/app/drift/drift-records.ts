import { createHash } from 'node:crypto';
import type { AllowRule } from '../../domain/drift-allow';
import type { DriftFinding } from '../../domain/drift-finding';
import type { DriftSweep } from '../../domain/drift-sweep';
import type { Person } from '../../domain/types';
import type { Store } from '../../store/store';
import { RecordRepo } from '../persistence/record-repo';

export const FINDING_KIND = 'finding';
export const ALLOW_KIND = 'drift-allow';
export const SWEEP_KIND = 'sweep';

/** An allow-list entry added with "Allow" on a finding card. */
export interface StoredAllow {
  rule: AllowRule;
  findingId: string;
  by: Person;
  at: number;
}

export function findingRecords(store: Store): RecordRepo<DriftFinding> {
  return new RecordRepo<DriftFinding>(store, FINDING_KIND, (finding) => finding.status);
}

export function allowRecords(store: Store): RecordRepo<StoredAllow> {
  return new RecordRepo<StoredAllow>(store, ALLOW_KIND, () => 'active');
}

export function sweepRecords(store: Store): RecordRepo<DriftSweep> {
  return new RecordRepo<DriftSweep>(store, SWEEP_KIND, (sweep) => sweep.status);
}

/** "DRF-" + 12 hex digits of the permission key's SHA-256: the same permission always gets the same ID. */
export function findingIdFor(key: string): string {
  return `DRF-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

export function isFindingId(text: string): boolean {
  return /^DRF-[0-9a-f]{12}$/.test(text);
}
