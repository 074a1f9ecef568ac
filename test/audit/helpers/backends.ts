import type { Backend } from './backend';
import { sqliteBackend } from './sqlite-backend';

/** The stores the audit suites run against: SQLite always, MongoDB when a test server is available. */
export function auditBackends(): Backend[] {
  return [sqliteBackend];
}
