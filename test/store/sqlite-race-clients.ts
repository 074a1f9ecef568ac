import { Worker } from 'node:worker_threads';
import type { RequestStore } from '../../src/store/store';

type RaceMethod = 'updateRequest' | 'claimDue';

/**
 * Store clients in worker threads, each with its own SQLite connection to
 * `file`: better-sqlite3 is synchronous, so only separate threads make the
 * connections race for real.
 */
export async function sqliteRaceClients(
  file: string,
  count: number,
): Promise<{ clients: Pick<RequestStore, RaceMethod>[]; close(): Promise<void> }> {
  const storeModule = require.resolve('../../src/store/sqlite/sqlite-store');
  const code = `
    require('tsx/cjs');
    const { workerData, parentPort } = require('node:worker_threads');
    const { SqliteStore } = require(workerData.storeModule);
    const store = SqliteStore.open(workerData.file);
    parentPort.on('message', ({ id, method, args }) => {
      if (method === 'close') return store.close().then(() => parentPort.postMessage({ id }));
      store[method](...args).then((result) => parentPort.postMessage({ id, result }), (error) => parentPort.postMessage({ id, error: String(error) }));
    });
    parentPort.postMessage({ id: 0 });
  `;
  const workers = await Promise.all(
    Array.from({ length: count }, () => {
      const worker = new Worker(code, { eval: true, workerData: { file, storeModule } });
      return new Promise<Worker>((resolve, reject) => {
        worker.once('message', () => resolve(worker));
        worker.once('error', reject);
      });
    }),
  );
  let nextId = 1;
  const call = (worker: Worker, method: RaceMethod | 'close', args: unknown[]): Promise<unknown> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (message: { id: number; result?: unknown; error?: string }) => {
        if (message.id !== id) return;
        worker.off('message', onMessage);
        if (message.error !== undefined) reject(new Error(message.error));
        else resolve(message.result);
      };
      worker.on('message', onMessage);
      worker.postMessage({ id, method, args });
    });
  };
  const clients = workers.map((worker) => ({
    updateRequest: (...args: Parameters<RequestStore['updateRequest']>) =>
      call(worker, 'updateRequest', args) as ReturnType<RequestStore['updateRequest']>,
    claimDue: (...args: Parameters<RequestStore['claimDue']>) => call(worker, 'claimDue', args) as ReturnType<RequestStore['claimDue']>,
  }));
  return {
    clients,
    async close() {
      await Promise.all(workers.map((worker) => call(worker, 'close', [])));
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
