import type { AuditEvent } from '../../../src/domain/types';
import type { Store } from '../../../src/store/store';

/** Direct access to stored audit records, bypassing the Store, to simulate tampering. */
export interface RawAudit {
  /** The record stored at this position (the row/document key). */
  get(position: number): Promise<AuditEvent>;
  /** Stores `event` at this position, replacing what is there. */
  put(position: number, event: AuditEvent): Promise<void>;
  remove(position: number): Promise<void>;
  close(): Promise<void>;
}

export interface OpenedBackend {
  store: Store;
  raw: RawAudit;
  cleanup(): Promise<void>;
}

export interface Backend {
  name: string;
  open(): Promise<OpenedBackend>;
}
