import { truncate } from './blocks.js';

/** Escapes user text for mrkdwn: Slack reads &, < and > as markup. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

// Enough of what was typed to recognise it; a pasted megabyte must not come back (Slack refuses long messages).
const QUOTE_LIMIT = 80;

/** Text the user typed (a command's arguments), quoted back as a short escaped excerpt. */
export function quoteUserText(text: string): string {
  return escapeMrkdwn(truncate(text, QUOTE_LIMIT));
}

/** A mention of a policy role member: a user (U…/W…) or a user group (S…). */
export function mentionMember(id: string): string {
  return id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`;
}

// Escaping turns one character into at most five (& → &amp;).
const ESCAPE_GROWTH = 5;

/**
 * Long user text as escaped lines that each fit in `limit` characters once escaped, split at line
 * breaks and spaces where it can be, so nothing is lost to truncation.
 */
export function escapedLines(text: string, limit: number): string[] {
  const size = Math.floor(limit / ESCAPE_GROWTH);
  return text.split('\n').flatMap((line) => {
    const pieces: string[] = [];
    let rest = line;
    while (rest.length > size) {
      const space = rest.lastIndexOf(' ', size);
      const cut = space > size / 2 ? space : size;
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut).trimStart();
    }
    pieces.push(rest);
    return pieces.map(escapeMrkdwn);
  });
}
