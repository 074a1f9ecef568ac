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
  /** A second, independent connection to the same data, as another instance of the app would have; closed by cleanup. */
  connectAgain(): Promise<Store>;
  cleanup(): Promise<void>;
}

export interface Backend {
  name: string;
  /** For a suite's `before` hook: finds the server, or skips/fails as the project's MongoDB tests do. */
  setUp(ctx: Mocha.Context): Promise<void>;
  open(): Promise<OpenedBackend>;
}
