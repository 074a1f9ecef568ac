import { parseDurationMinutes } from '../../domain/duration';

// The policy file is stricter than what requesters may type: every duration
// carries a unit, so that "30" can never be read as 30 minutes when 30 hours
// or days was meant.

/** Words of the format, for messages. */
export const DURATION_FORMAT = 'a duration with a unit, like 15m, 8h, 2d or 1h30m';

const HAS_UNIT = /^\s*\d+\s*[a-z]/i;
const ZERO = /^\s*0+\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?)?\s*$/i;

/** Minutes, or null when the text is not a duration of the file format. */
export function fileDurationMinutes(text: string, allowZero: boolean): number | null {
  if (allowZero && ZERO.test(text)) return 0;
  if (!HAS_UNIT.test(text)) return null;
  return parseDurationMinutes(text);
}
