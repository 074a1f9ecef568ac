import type { Backend } from './backend';
import { mongoBackend } from './mongo-backend';
import { sqliteBackend } from './sqlite-backend';

/** The stores the audit suites run against: SQLite always; MongoDB when a MongoDB-wire test server is found. */
export function auditBackends(): Backend[] {
  return [sqliteBackend, mongoBackend()];
}
