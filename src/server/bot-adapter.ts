import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { AppConfig } from '../config/app-config';
import type { Logger } from '../shared/logger';

/**
 * The Bot Framework adapter. With an app ID it validates the JWT on every
 * incoming activity; without one (local use only) it accepts anonymous calls.
 */
export function createBotAdapter(bot: AppConfig['bot'], logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.appPassword ?? '',
    MicrosoftAppTenantId: bot.appTenantId ?? '',
    MicrosoftAppType: bot.appId ? bot.appType : '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, activityType: context.activity.type }, 'unhandled error in a turn');
    if (context.activity.type === 'message')
      await context.sendActivity('Something went wrong and nothing was changed. Please try again.').catch(() => undefined);
  };
  return adapter;
}
