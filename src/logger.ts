import { type Logger, LogLevel } from '@slack/bolt';

const ORDER: readonly LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/** A URL's query string can carry a secret (the calendar feed's token): no log line keeps one. */
const QUERY_STRING = /(\/[^\s?]*)\?[^\s]+/g;

function render(value: unknown): string {
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (value instanceof Error) text = `${value.name}: ${value.message}`;
  return text.replace(QUERY_STRING, '$1?…');
}

/**
 * Line-per-entry logger shared with Bolt. Callers never pass tokens or secrets; errors are reduced to
 * name and message so a request object or an HTTP client config cannot leak through a stack dump.
 */
export type LogSink = (level: LogLevel, line: string) => void;

const consoleSink: LogSink = (level, line) =>
  (level === LogLevel.ERROR || level === LogLevel.WARN ? process.stderr : process.stdout).write(`${line}\n`);

export function createLogger(options: { level?: LogLevel; sink?: LogSink } = {}): Logger {
  let threshold = options.level ?? LogLevel.INFO;
  let loggerName = 'cabinet';
  const sink = options.sink ?? consoleSink;
  const write = (entryLevel: LogLevel, messages: unknown[]) => {
    if (ORDER.indexOf(entryLevel) < ORDER.indexOf(threshold)) return;
    sink(
      entryLevel,
      `${new Date().toISOString()} ${entryLevel.toUpperCase()} ${loggerName}: ${messages.map(render).join(' ')}`,
    );
  };
  return {
    debug: (...messages: unknown[]) => write(LogLevel.DEBUG, messages),
    info: (...messages: unknown[]) => write(LogLevel.INFO, messages),
    warn: (...messages: unknown[]) => write(LogLevel.WARN, messages),
    error: (...messages: unknown[]) => write(LogLevel.ERROR, messages),
    setLevel: (next: LogLevel) => {
      threshold = next;
    },
    getLevel: () => threshold,
    setName: (next: string) => {
      loggerName = next;
    },
  };
}
