import { ActivityHandler } from 'botbuilder';

/** The baseline: replies with the text it got, through the same adapter and server as Custodian. */
export class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(context.activity.text ?? '');
      await next();
    });
  }
}
