import restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import { runHealth, type HealthCheck } from '../http/health';
import type { Logger } from '../shared/logger';

export interface HttpServerOptions {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  readiness: HealthCheck[];
  logger: Logger;
}

/** restify: /api/messages for the Bot Framework, /healthz (liveness) and /readyz (readiness). */
export function createHttpServer(options: HttpServerOptions): restify.Server {
  const server = restify.createServer({ name: 'custodian', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1_000_000, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await options.adapter.process(req, res, (context) => options.bot.run(context));
  });
  // Clients (the Agents Playground among them) probe the endpoint with HEAD.
  server.head('/api/messages', (_req, res, next) => {
    res.send(200);
    return next();
  });
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });
  server.get('/readyz', async (_req, res) => {
    const report = await runHealth(options.readiness, 5_000);
    res.send(report.status === 'ok' ? 200 : 503, report);
  });
  server.on('restifyError', (req: restify.Request, _res: restify.Response, error: Error, callback: () => unknown) => {
    options.logger.warn({ path: req.url, err: error }, 'HTTP request refused');
    return callback();
  });
  return server;
}
