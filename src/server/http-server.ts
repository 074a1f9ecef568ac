import restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import { runHealth, type HealthCheck } from '../http/health';
import type { Logger } from '../shared/logger';
import { isActivityShape } from '../http/activity-body';
import { FIXED_ERRORS, sendFixed, withFixedErrors } from './fixed-errors';
import type { TurnGate } from '../teams/turn-gate';

export interface HttpServerOptions {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  readiness: HealthCheck[];
  logger: Logger;
  /** Tenant, channel and size checks before the bot runs (absent: every authenticated activity reaches the bot). */
  gate?: TurnGate;
}

/** restify: /api/messages for the Bot Framework, /healthz (liveness) and /readyz (readiness). */
export function createHttpServer(options: HttpServerOptions): restify.Server {
  const server = restify.createServer({ name: 'custodian', handleUncaughtExceptions: false });
  // A Teams message is at most about 28 KB; the envelope around it stays well under this.
  server.use(restify.plugins.bodyParser({ maxBodySize: 262_144, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    if (!isActivityShape(req.body)) return sendFixed(res, 400);
    const gate = options.gate;
    let started = false;
    try {
      await options.adapter.process(
        req,
        withFixedErrors(res, () => started),
        (context) => {
          started = true;
          return gate ? gate.run(context, () => options.bot.run(context)) : options.bot.run(context);
        },
      );
    } catch (error) {
      options.logger.warn({ err: error }, 'activity not processed');
      if (!res.headersSent) sendFixed(res, 400);
    }
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
    // restify would answer with the parser's message (e.g. the JSON syntax error); say only what kind of failure it was.
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const fixed = status === 413 ? FIXED_ERRORS[413] : status >= 500 ? FIXED_ERRORS[500] : status === 400 ? FIXED_ERRORS[400] : undefined;
    if (fixed) Object.assign(error, { toJSON: () => fixed, body: fixed });
    return callback();
  });
  return server;
}
