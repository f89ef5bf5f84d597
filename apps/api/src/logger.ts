import { pino, type Logger } from 'pino';

/** The process logger: JSON lines with secrets redacted by key. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.secret', 'password', 'token'],
      censor: '[redacted]',
    },
  });
}
