import { type Logger, LogLevel } from '@slack/bolt';

const ORDER: readonly LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

function render(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return typeof value === 'string' ? value : JSON.stringify(value);
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
