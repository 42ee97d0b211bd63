export interface ParsedCommand {
  /** The first word, lower-cased; '' when the command had no text. */
  subcommand: string;
  /** The rest of the text, trimmed. */
  args: string;
}

/** Splits "/change <subcommand> <args…>" text into its first word and the rest. */
export function parseCommandText(text: string): ParsedCommand {
  const trimmed = text.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match) return { subcommand: '', args: '' };
  return { subcommand: (match[1] ?? '').toLowerCase(), args: (match[2] ?? '').trim() };
}

/**
 * The user a mention in a command names: Slack sends a mention picked from its list as `<@U…>` or `<@U…|name>`
 * (the command escapes its text, so anything typed by hand arrives with `&lt;`); undefined for anything else.
 */
export function parseUserMention(token: string): string | undefined {
  return /^<@([UW][A-Z0-9]{2,})(\|[^<>]*)?>$/.exec(token.trim())?.[1];
}

/** A mention, channel or link as Slack sends it in escaped text (`<@U1|name>`, `<#C1|name>`), as it was typed. */
function typedMarkup(markup: string): string {
  const [target = '', label] = markup.split('|');
  if (target.startsWith('@') || target.startsWith('#')) return label ? `${target[0]}${label}` : target;
  if (target.startsWith('!')) return label ?? `@${target.slice(1)}`;
  return label ?? target;
}

/**
 * Text as the person typed it. The command is escaped (its `should_escape`, so that `/change delegate` receives
 * mentions): Slack sends &, < and > as entities and turns mentions, channels and links into markup.
 */
export function unescapeCommandText(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_, markup: string) => typedMarkup(markup))
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
