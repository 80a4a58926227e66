import pino from 'pino';

export type Logger = pino.Logger;

/** JSON logs. Message bodies and phone numbers stay out of info-level lines. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'mitra' } }, destination);
}

export const silentLogger: Logger = pino({ level: 'silent' });
