import pino from 'pino';

export type Logger = pino.Logger;

/** Secrets are removed by path before a line is written, in either format. */
const REDACT = {
  paths: [
    '*.password',
    '*.clientSecret',
    '*.secret',
    '*.token',
    '*.authorization',
    '*.Authorization',
    'headers.authorization',
    '*.mongodbUri',
  ],
  censor: '[redacted]',
};

/**
 * One structured logger for the whole app. JSON lines are the production
 * format; "pretty" (the local default) prints readable lines in this process,
 * pino-pretty being loaded only then (no worker thread, nothing in production).
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', format: 'json' | 'pretty' = 'json'): Logger {
  if (format === 'json') return pino({ level, redact: REDACT });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pino({ level, redact: REDACT }, pretty({ sync: true, colorize: process.stdout.isTTY, ignore: 'pid,hostname' }));
}

export const silentLogger: Logger = pino({ level: 'silent' });
