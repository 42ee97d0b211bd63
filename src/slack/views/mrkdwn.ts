/** Escapes user text for mrkdwn: Slack reads &, < and > as markup. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A mention of a policy role member: a user (U…/W…) or a user group (S…). */
export function mentionMember(id: string): string {
  return id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`;
}
