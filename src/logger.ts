import { LogLevel, type Logger } from '@slack/bolt';

const ORDER: readonly LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

function render(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Line-per-entry logger shared with Bolt. Callers never pass tokens or secrets; errors are reduced to
 * name and message so a request object or an HTTP client config cannot leak through a stack dump.
 */
export function createLogger(level: LogLevel = LogLevel.INFO, name = 'cabinet'): Logger {
  let threshold = level;
  let loggerName = name;
  const write = (entryLevel: LogLevel, messages: unknown[]) => {
    if (ORDER.indexOf(entryLevel) < ORDER.indexOf(threshold)) return;
    const line = `${new Date().toISOString()} ${entryLevel.toUpperCase()} ${loggerName}: ${messages.map(render).join(' ')}\n`;
    (entryLevel === LogLevel.ERROR || entryLevel === LogLevel.WARN ? process.stderr : process.stdout).write(line);
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
