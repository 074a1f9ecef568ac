import net from 'node:net';

/**
 * A TCP relay in front of a MongoDB-wire server, on a loopback port, for
 * network failures: cut every connection and refuse new ones (an outage),
 * serve again, or lose the reply to one command after the server ran it.
 */
export class TcpRelay {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private loseReplyMarker: Buffer | null = null;

  private constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {}

  static async start(targetUri: string): Promise<TcpRelay> {
    const target = new URL(targetUri.replace(/^mongodb:/, 'http:'));
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const relay = new TcpRelay({ host: target.hostname, port: Number(target.port || 27017) }, port);
    await relay.serve();
    return relay;
  }

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}/`;
  }

  /** Accepts connections again (after cut). */
  async serve(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => this.relay(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
  }

  /** Drops every connection and refuses new ones, as if the database host went away. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * The next command whose bytes contain `marker` reaches the server, but its
   * reply does not come back: that connection breaks instead (once).
   */
  loseReplyTo(marker: string): void {
    this.loseReplyMarker = Buffer.from(marker);
  }

  private relay(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    let loseReply = false;
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      if (this.loseReplyMarker && chunk.includes(this.loseReplyMarker)) {
        this.loseReplyMarker = null;
        loseReply = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (loseReply) client.destroy();
      else client.write(chunk);
    });
  }
}
