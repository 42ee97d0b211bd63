import type { types } from '@slack/bolt';

// Block Kit limits (https://api.slack.com/reference/block-kit/blocks).
export const SECTION_TEXT_LIMIT = 3000;
export const HEADER_TEXT_LIMIT = 150;
export const MESSAGE_BLOCK_LIMIT = 50;
export const MODAL_BLOCK_LIMIT = 100;

export function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, HEADER_TEXT_LIMIT), emoji: true } };
}

/** A mrkdwn section; callers escape user text, this only keeps it within the size limit. */
export function section(mrkdwn: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, SECTION_TEXT_LIMIT) } };
}

export function context(mrkdwn: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, SECTION_TEXT_LIMIT) }] };
}

export const divider: types.DividerBlock = { type: 'divider' };

export const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger'): types.Button => ({
  type: 'button',
  text: { type: 'plain_text', text, emoji: true },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

/** A time shown in each reader's own time zone, with a UTC fallback. */
export function slackDate(at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${at.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}

/** A modal that only tells the user something, e.g. what their submission recorded. */
export function noticeModal(title: string, mrkdwn: string): types.ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: truncate(title, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(mrkdwn)],
  };
}
