import type { AppConfig } from '../../src/config/app-config';
import { createBotAdapter } from '../../src/server/bot-adapter';
import { createHttpServer } from '../../src/server/http-server';
import { silentLogger } from '../../src/shared/logger';
import { EchoBot } from './echo-bot';

/** POSTs one activity to a bot's /api/messages as Teams does; anything but 200 throws (with `detail`, e.g. the bot's output). */
export async function postActivity(base: string, activity: object, detail: () => string = () => ''): Promise<void> {
  const response = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  await response.text();
  if (response.status !== 200) throw new Error(`POST /api/messages answered ${response.status}${detail() ? `\n${detail()}` : ''}`);
}

/** An echo bot on the same adapter and server as Custodian, on a free loopback port: the baseline of a turn. */
export async function startEchoServer(config: AppConfig): Promise<{ url: string; close(): Promise<void> }> {
  const echo = createHttpServer({
    adapter: createBotAdapter(config.bot, silentLogger),
    bot: new EchoBot(),
    readiness: [],
    logger: silentLogger,
  });
  await new Promise<void>((resolve) => {
    echo.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${echo.address().port}`,
    close: () =>
      new Promise<void>((resolve) => {
        echo.close(() => resolve());
        echo.server.closeAllConnections();
      }),
  };
}
