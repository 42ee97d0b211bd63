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

/**
 * Slack refuses a message whose blocks hold more than about 13,000 characters in all
 * (`msg_blocks_too_long`, slackapi/bolt-js#2509), well under its documented 40,000; keep under that.
 */
export const MESSAGE_TEXT_BUDGET = 12_000;

/** The characters of text a block carries, as Slack counts toward a message's size. */
export function blockTextLength(block: types.KnownBlock): number {
  switch (block.type) {
    case 'section':
    case 'header':
      return block.text?.text.length ?? 0;
    case 'context':
      return block.elements.reduce((sum, element) => sum + ('text' in element ? element.text.length : 0), 0);
    case 'actions':
      return block.elements.reduce(
        (sum, element) => sum + ('text' in element && element.text ? element.text.text.length : 0),
        0,
      );
    default:
      return 0;
  }
}

/**
 * Sections of at most SECTION_TEXT_LIMIT characters holding `lines`, split between lines (a line
 * longer than a section is cut), so long lists never lose their tail to truncation.
 */
export function linesToSections(lines: readonly string[]): types.SectionBlock[] {
  const sections: types.SectionBlock[] = [];
  let current = '';
  for (const raw of lines) {
    const line = truncate(raw, SECTION_TEXT_LIMIT);
    if (current !== '' && current.length + 1 + line.length > SECTION_TEXT_LIMIT) {
      sections.push(section(current));
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '') sections.push(section(current));
  return sections;
}

/**
 * Splits blocks into messages that Slack accepts: at most `maxBlocks` blocks and MESSAGE_TEXT_BUDGET
 * characters each, the first leaving room for `firstReserve` blocks of `firstReserveChars` characters
 * its caller adds. Always at least one (possibly empty) page.
 */
export function paginate(
  blocks: readonly types.KnownBlock[],
  reserve: { blocks: number; chars: number },
  maxBlocks = MESSAGE_BLOCK_LIMIT - 1,
): types.KnownBlock[][] {
  const pages: types.KnownBlock[][] = [[]];
  let chars = reserve.chars;
  let limit = maxBlocks - reserve.blocks;
  for (const block of blocks) {
    const page = pages[pages.length - 1] ?? [];
    const size = blockTextLength(block);
    if (page.length > 0 && (page.length + 1 > limit || chars + size > MESSAGE_TEXT_BUDGET)) {
      pages.push([block]);
      chars = size;
      limit = maxBlocks;
    } else {
      page.push(block);
      chars += size;
    }
  }
  return pages;
}
