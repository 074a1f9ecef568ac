import type { Activity, TurnContext } from 'botbuilder';
import { plainText } from '../domain/plain-text';

/**
 * Teams renders a chat message's text as Markdown with `<at>` mentions; the
 * bot's messages quote what people typed (IDs, names, comments), so their
 * text is escaped. Only a message that declares textFormat "markdown" (the
 * help text, written by us) keeps its formatting.
 */
export function escapeMessageText(activity: Partial<Activity>): void {
  if ((activity.type ?? 'message') !== 'message' || typeof activity.text !== 'string') return;
  if (activity.textFormat === 'markdown') return;
  activity.text = plainText(activity.text);
}

/** Escapes every message the bot sends in this turn. */
export function escapeRepliesOf(context: TurnContext): void {
  context.onSendActivities(async (_context, activities, next) => {
    for (const activity of activities) escapeMessageText(activity);
    return next();
  });
}
