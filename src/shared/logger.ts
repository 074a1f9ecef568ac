import pino from 'pino';

export type Logger = pino.Logger;

/** One structured logger for the whole app; secrets are redacted by path. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    redact: {
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
    },
  });
}

export const silentLogger: Logger = pino({ level: 'silent' });
