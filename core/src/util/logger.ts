import pino from 'pino';
import type { Logger } from '../spec/plugin';

/**
 * Paths pino blanks out wherever they appear. The structured logger never receives a secret
 * knowingly; this list is the net under that rule (headers, credentials, tokens, bodies).
 */
export const REDACTED_PATHS = [
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["api-key"]',
  'headers["x-goog-api-key"]',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers["api-key"]',
  '*.headers["x-goog-api-key"]',
  'plaintext',
  '*.plaintext',
  'token',
  '*.value',
  'password',
  '*.password',
  'appKey',
  'body',
  '*.body',
];

/** Strings shaped like well-known secrets, scrubbed from free-text log messages. */
const SECRET_SHAPES =
  /\b(pc_(?:live|test|admin)_[0-9A-Za-z]{8,}|sk-(?:ant-|proj-)?[0-9A-Za-z_-]{16,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|gh[pousr]_[0-9A-Za-z]{20,}|xox[abprs]-[0-9A-Za-z-]{10,})/g;

export const scrubSecrets = (text: string): string => text.replace(SECRET_SHAPES, '[REDACTED]');

export interface LoggerOptions {
  level?: string;
  /** Where to write (tests capture output through this). Defaults to stdout. */
  destination?: NodeJS.WritableStream;
  name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = pino(
    {
      name: options.name ?? 'portcullis',
      level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      hooks: {
        // Scrub secret-shaped substrings from messages, whatever the caller put in them.
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as typeof args;
          return method.apply(this, scrubbed);
        },
      },
      serializers: {
        err: (err: unknown) => {
          if (!(err instanceof Error)) return { message: scrubSecrets(String(err)) };
          return { type: err.name, message: scrubSecrets(err.message), code: (err as { code?: unknown }).code };
        },
      },
    },
    options.destination as pino.DestinationStream | undefined,
  );
  return base as unknown as Logger;
}

/** A logger that drops everything (tests, embedded use without logging). */
export function createSilentLogger(): Logger {
  return createLogger({ level: 'silent' });
}
