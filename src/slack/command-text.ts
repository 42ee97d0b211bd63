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
