import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The Bot Framework connector (the activity's serviceUrl) on loopback,
 * answering every send and update at once, so that measurements show the
 * bot's own time. Counts what it received.
 */
export class LoopbackConnector {
  sends = 0;
  updates = 0;
  private server: Server | null = null;
  private next = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const update = req.method === 'PUT';
        if (update) this.updates++;
        else this.sends++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: update ? (req.url ?? '').split('/').pop() : `act-${++this.next}` }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}
