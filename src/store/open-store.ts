import path from 'node:path';
import type { Logger } from '../shared/logger';
import type { Store } from './store';

export interface StoreConfig {
  /** When set, the MongoDB-wire server to use; otherwise the embedded SQLite file. */
  mongodbUri?: string;
  mongodbDb: string;
  /** Folder for the SQLite file `custodian.sqlite`. */
  dataDir: string;
  /** MongoDB only: called with the name of every command sent (diagnostics, benchmarks). */
  onCommand?: (commandName: string, collection?: string) => void;
}

/** Opens the configured store: MongoDB when a URI is given, else SQLite under dataDir. */
export async function openStore(cfg: StoreConfig, logger?: Logger): Promise<Store> {
  // Each store's driver is loaded only when it is used: the MongoDB driver alone is some 20 MB of a process.
  if (cfg.mongodbUri) {
    // require, not import(): under tsx an import() is resolved as ESM, which needs file extensions.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MongoStore } = require('./mongo/mongo-store') as typeof import('./mongo/mongo-store');
    return MongoStore.connect(cfg.mongodbUri, cfg.mongodbDb, { logger, onCommand: cfg.onCommand });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SqliteStore } = require('./sqlite/sqlite-store') as typeof import('./sqlite/sqlite-store');
  return SqliteStore.open(path.join(cfg.dataDir, 'custodian.sqlite'));
}
