import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The status and JSON body the connector answers one request with. */
export interface ConnectorReply {
  status: number;
  body: unknown;
}

/** Decides the reply to one request from the bot, e.g. to record what it sent. */
export type AnswerRequest = (req: IncomingMessage) => Promise<ConnectorReply>;

/**
 * The Bot Framework connector (the activity's serviceUrl) on loopback.
 * Unless given its own `answer`, it answers every send and update at once,
 * without reading the body, so that measurements show the bot's own time,
 * and counts what it received.
 */
export class LoopbackConnector {
  sends = 0;
  updates = 0;
  private server: Server | null = null;
  private next = 0;
  private readonly answer: AnswerRequest;

  constructor(answer?: AnswerRequest) {
    this.answer = answer ?? ((req) => this.acknowledge(req));
  }

  /** Listens on a free loopback port, or on `port` again after a restart (Teams keeps its serviceUrl). */
  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      void this.answer(req).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** The id the connector gives a newly posted activity. */
  nextActivityId(): string {
    return `act-${++this.next}`;
  }

  private async acknowledge(req: IncomingMessage): Promise<ConnectorReply> {
    await drained(req);
    const update = req.method === 'PUT';
    if (update) this.updates++;
    else this.sends++;
    return { status: 200, body: { id: update ? (req.url ?? '').split('/').pop() : this.nextActivityId() } };
  }
}

function drained(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.resume();
    req.on('end', resolve);
  });
}
