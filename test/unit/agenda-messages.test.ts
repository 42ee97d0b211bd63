// The CAB agenda and minutes as Block Kit messages: however many changes there are, every message
// stays within what Slack accepts, and no change is lost between the pages.
import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { type Agenda, type AgendaChangeFacts, type AgendaFacts, buildAgenda } from '../../src/domain/agenda.js';
import type { CabOutcome, CabVote, Minutes, MinutesItem } from '../../src/domain/cab.js';
import type { ChangeState } from '../../src/domain/lifecycle.js';
import { parsePolicy } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/schema.js';
import {
  type AgendaHeading,
  agendaMessages,
  agendaPreview,
  agendaTitle,
  closeMeetingActions,
  headlineText,
  type SlackMessage,
} from '../../src/slack/blocks/agenda.js';
import {
  blockTextLength,
  linesToSections,
  MESSAGE_TEXT_BUDGET,
  paginate,
  SECTION_TEXT_LIMIT,
  section,
} from '../../src/slack/blocks/blocks.js';
import { minutesMessages } from '../../src/slack/blocks/cab.js';
import { MINIMAL_POLICY_YAML, minimalPolicy } from '../support/policy.js';

// ---------------------------------------------------------------------------------------------
// Slack's limits, checked independently of the code under test.
// ---------------------------------------------------------------------------------------------

const SLACK = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  contextElements: 10,
  /** Slack answers msg_blocks_too_long above about 13,200 characters of block text (slackapi/bolt-js#2509). */
  messageText: 13_000,
} as const;

function buttonTextLength(element: { type: string }, where: string, problems: string[]): number {
  if (element.type !== 'button' || !('text' in element)) return 0;
  const text = (element as types.Button).text.text;
  if (text.length > SLACK.buttonText) problems.push(`${where}: button text of ${text.length} characters`);
  if (text.length === 0) problems.push(`${where}: empty button text`);
  return text.length;
}

/** Every way `message` breaks Slack's limits; empty when Slack would take it. */
function slackProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  if (message.text.trim() === '') problems.push('the message text is empty');
  if (message.blocks.length === 0) problems.push('no blocks');
  if (message.blocks.length > SLACK.blocksPerMessage) problems.push(`${message.blocks.length} blocks`);
  let total = 0;
  message.blocks.forEach((block, index) => {
    const where = `block ${index} (${block.type})`;
    switch (block.type) {
      case 'header': {
        const { text } = block.text;
        if (block.text.type !== 'plain_text') problems.push(`${where}: header text is not plain_text`);
        if (text.length > SLACK.headerText) problems.push(`${where}: ${text.length} characters`);
        if (text.length === 0) problems.push(`${where}: empty`);
        total += text.length;
        break;
      }
      case 'section': {
        const text = block.text?.text ?? '';
        if (text.length > SLACK.sectionText) problems.push(`${where}: ${text.length} characters`);
        if (text.length === 0 && (block.fields ?? []).length === 0) problems.push(`${where}: empty`);
        total += text.length;
        for (const field of block.fields ?? []) total += field.text.length;
        if (block.accessory) total += buttonTextLength(block.accessory, where, problems);
        break;
      }
      case 'context': {
        if (block.elements.length > SLACK.contextElements) problems.push(`${where}: ${block.elements.length} elements`);
        if (block.elements.length === 0) problems.push(`${where}: no elements`);
        for (const element of block.elements) {
          if (!('text' in element)) continue;
          if (element.text.length > SLACK.sectionText)
            problems.push(`${where}: element of ${element.text.length} characters`);
          total += element.text.length;
        }
        break;
      }
      case 'actions': {
        if (block.elements.length === 0) problems.push(`${where}: no elements`);
        if (block.elements.length > 25) problems.push(`${where}: ${block.elements.length} elements`);
        for (const element of block.elements) total += buttonTextLength(element, where, problems);
        break;
      }
      default:
        break;
    }
  });
  if (total > SLACK.messageText) problems.push(`${total} characters of block text`);
  return problems;
}

function expectValidMessages(messages: readonly SlackMessage[]): void {
  expect(messages.length).toBeGreaterThan(0);
  messages.forEach((message, index) => {
    expect(slackProblems(message), `message ${index + 1} of ${messages.length}`).toEqual([]);
  });
}

const sectionTexts = (messages: readonly SlackMessage[]): string[] =>
  messages.flatMap((message) =>
    message.blocks.flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : [])),
  );

const contextTexts = (message: SlackMessage): string[] =>
  message.blocks.flatMap((block) =>
    block.type === 'context' ? block.elements.flatMap((element) => ('text' in element ? [element.text] : [])) : [],
  );

/** How often each CHG-<n> occurs in `text`. */
function refCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/\bCHG-\d+\b/g)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  return counts;
}

const escaped = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Block text with the markup Cabinet itself writes (mentions, dates, channels) taken out. */
const withoutSlackMarkup = (text: string) =>
  text.replace(/<!date\^\d+\^[^|>]*\|[^>]*>/g, '').replace(/<(?:@[UW]|!subteam\^S|#C)[A-Z0-9]+>/g, '');

// ---------------------------------------------------------------------------------------------
// Fixtures: a week of changes, as the database would give them to buildAgenda.
// ---------------------------------------------------------------------------------------------

// Wednesday 4 March 2026, 10:00 in New York (EST, UTC−5); the previous meeting a week before.
const MEETING_AT = new Date('2026-03-04T15:00:00Z');
const SINCE = new Date('2026-02-25T15:00:00Z');
const NOW = new Date('2026-03-04T14:00:00Z');
const WINDOW = { meetingAt: MEETING_AT, since: SINCE, now: NOW };
const DAY = 86_400_000;

const FREEZE = { from: '2026-03-10', to: '2026-03-11', reason: 'Quarter-end & <payroll> close' };

/** A 150-character title full of the characters mrkdwn reads as markup. */
function longTitle(id: number): string {
  const seed =
    `Upgrade #${id} & <core> routers > switches & firewalls, then re-point <payments> & ` +
    `<billing> at the new cluster > old `;
  return seed.repeat(3).slice(0, 150);
}

function baseFacts(id: number): AgendaChangeFacts {
  return {
    id,
    ref: `CHG-${id}`,
    title: longTitle(id),
    type: 'normal',
    state: 'pending_approval',
    riskLevel: id % 2 === 0 ? 'high' : 'critical',
    ownerId: `U0OWN${String(id).padStart(4, '0')}`,
    createdAt: new Date(SINCE.getTime() - 3 * DAY),
    plannedStart: null,
    plannedEnd: null,
    flaggedAt: null,
    flagReason: null,
    phase: undefined,
    openRoles: [],
    approvalRequestedAt: null,
    slaDueAt: null,
    verbalApprovals: [],
    openDispute: null,
    obligations: [],
    outcomes: [],
  };
}

/**
 * Change `id` of a busy week. Most await the board (ids ending 0–5, some also on the calendar or past
 * their approval SLA); the rest are emergencies owing their formal approval and paperwork, finished
 * changes, scheduled and flagged changes, and disputed verbal approvals.
 */
function changeFacts(id: number): AgendaChangeFacts {
  const facts = baseFacts(id);
  const bucket = id % 10;
  if (bucket <= 5) {
    const planned = bucket === 0 ? new Date(NOW.getTime() + (1 + (id % 5)) * DAY) : null;
    return {
      ...facts,
      phase: 'approval',
      openRoles: id % 2 === 0 ? ['cab', 'manager'] : ['cab'],
      approvalRequestedAt:
        bucket === 1 && id % 3 === 0 ? new Date('2026-02-02T15:00:00Z') : new Date(NOW.getTime() - DAY),
      plannedStart: planned,
      plannedEnd: planned ? new Date(planned.getTime() + 2 * 3_600_000) : null,
    };
  }
  if (bucket === 6) {
    return {
      ...facts,
      type: 'emergency',
      state: 'pending_retro_approval',
      createdAt: new Date(NOW.getTime() - 2 * DAY),
      phase: 'retro_approval',
      openRoles: ['cab', 'security'],
      verbalApprovals: [
        { approverId: 'U0MGR0001', state: 'confirmed', answeredAt: new Date(NOW.getTime() - DAY) },
        { approverId: 'U0SEC0001', state: 'unconfirmed', answeredAt: null },
      ],
      obligations: [
        {
          kind: 'documentation',
          dueAt: new Date(NOW.getTime() - DAY),
          completedAt: id % 20 === 6 ? null : new Date(NOW.getTime() - 2 * DAY),
        },
        {
          kind: 'root_cause_analysis',
          dueAt: new Date(NOW.getTime() - DAY),
          completedAt: id % 20 === 6 ? null : new Date(NOW.getTime() - 2 * DAY),
        },
        { kind: 'cab_presentation', dueAt: null, completedAt: null },
      ],
    };
  }
  if (bucket === 7) {
    const outcomes: ChangeState[] = ['completed', 'failed', 'rolled_back'];
    const state = outcomes[id % 3] ?? 'completed';
    return { ...facts, state, outcomes: [{ state, at: new Date(NOW.getTime() - (1 + (id % 5)) * 3_600_000) }] };
  }
  if (bucket === 8) {
    // The first few run inside the freeze; the rest later in the calendar window.
    const planned =
      id <= 30
        ? new Date('2026-03-10T15:00:00Z')
        : new Date(new Date('2026-03-12T15:00:00Z').getTime() + (id % 5) * DAY);
    return {
      ...facts,
      state: 'scheduled',
      plannedStart: planned,
      plannedEnd: new Date(planned.getTime() + 3_600_000),
      flaggedAt: new Date(NOW.getTime() - DAY),
      flagReason: `Rollback plan <untested> & owner on leave (${id})`,
    };
  }
  // bucket 9: an older emergency whose verbal approval was disputed this week (which flags it too).
  return {
    ...facts,
    type: 'emergency',
    state: 'retro_approved',
    verbalApprovals: [{ approverId: 'U0CTO0001', state: 'disputed', answeredAt: new Date(NOW.getTime() - DAY) }],
    flaggedAt: new Date(NOW.getTime() - DAY),
    flagReason: 'Verbal approval disputed',
  };
}

function busyWeek(count: number): AgendaFacts {
  const changes = Array.from({ length: count }, (_, index) => changeFacts(index + 1));
  const undelivered = [
    ...changes
      .filter((change) => change.id % 50 === 0)
      .map((change) => ({
        changeId: change.id,
        kind: 'cab_item',
        error: 'rate_limited & <retry>',
        at: new Date(NOW.getTime() - DAY),
      })),
    { changeId: null, kind: 'cab_chair_link', error: null, at: new Date(NOW.getTime() - DAY) },
  ];
  return { changes, undelivered };
}

const policy = minimalPolicy();
const policyWithFreeze: Policy = { ...policy, freezes: [FREEZE] };

function bigAgenda(count = 300, agendaPolicy: Policy = policyWithFreeze): Agenda {
  return buildAgenda(busyWeek(count), agendaPolicy, WINDOW);
}

type SectionId = Policy['cab']['agenda_sections'][number]['id'];

/** How often the agenda names each change in the sections `ids`: once per entry it appears in. */
function expectedRefCounts(agenda: Agenda, ids: readonly SectionId[]): Map<string, number> {
  const refs: string[] = [];
  const issues = agenda.openIssues;
  for (const id of ids) {
    switch (id) {
      case 'previous_changes':
        refs.push(...agenda.previousChanges.map((entry) => entry.change.ref));
        break;
      case 'emergency_changes':
        refs.push(...agenda.emergencyChanges.map((entry) => entry.change.ref));
        break;
      case 'changes_for_approval':
        refs.push(...agenda.forApproval.map((entry) => entry.change.ref));
        break;
      case 'change_calendar':
        refs.push(...agenda.calendar.map((entry) => entry.change.ref));
        break;
      case 'change_freezes':
        refs.push(...agenda.freezes.flatMap((freeze) => freeze.plannedInside.map((change) => change.ref)));
        break;
      case 'open_issues':
        refs.push(
          ...issues.overduePaperwork.map((entry) => entry.change.ref),
          ...issues.pastApprovalSla.map((entry) => entry.change.ref),
          ...issues.disputedVerbalApprovals.map((entry) => entry.change.ref),
          ...issues.flagged.map((entry) => entry.change.ref),
          ...issues.undelivered.flatMap((entry) => (entry.ref ? [entry.ref] : [])),
        );
        break;
    }
  }
  return refCounts(refs.join(' '));
}

const ALL_SECTIONS: readonly SectionId[] = [
  'previous_changes',
  'emergency_changes',
  'changes_for_approval',
  'change_calendar',
  'change_freezes',
  'open_issues',
];

function meetingHeading(agendaPolicy: Policy = policy): AgendaHeading {
  return {
    title: agendaTitle(MEETING_AT, agendaPolicy),
    notes: [':hourglass: Posted late: Cabinet was not running at 10:00.'],
    actions: closeMeetingActions(42),
  };
}

function emptyAgenda(): Agenda {
  return {
    meetingAt: MEETING_AT.toISOString(),
    since: SINCE.toISOString(),
    calendarUntil: new Date(MEETING_AT.getTime() + 14 * DAY).toISOString(),
    previousChanges: [],
    emergencyChanges: [],
    forApproval: [],
    calendar: [],
    freezes: [],
    openIssues: {
      overduePaperwork: [],
      pastApprovalSla: [],
      disputedVerbalApprovals: [],
      flagged: [],
      undelivered: [],
    },
  };
}

// ---------------------------------------------------------------------------------------------

describe('the 300-change agenda fixture', () => {
  const agenda = bigAgenda();

  it('fills every section, mostly with changes awaiting the board', () => {
    expect(agenda.forApproval.length).toBe(210);
    expect(agenda.forApproval.filter((entry) => entry.phase === 'retro_approval')).toHaveLength(30);
    expect(agenda.previousChanges).toHaveLength(30);
    expect(agenda.emergencyChanges).toHaveLength(30);
    expect(agenda.calendar).toHaveLength(60);
    expect(agenda.freezes).toHaveLength(1);
    expect(agenda.freezes[0]?.plannedInside.map((change) => change.ref)).toEqual(['CHG-8', 'CHG-18', 'CHG-28']);
    expect(agenda.openIssues.overduePaperwork).toHaveLength(15);
    expect(agenda.openIssues.pastApprovalSla.length).toBeGreaterThan(0);
    expect(agenda.openIssues.disputedVerbalApprovals).toHaveLength(30);
    expect(agenda.openIssues.flagged).toHaveLength(30);
    expect(agenda.openIssues.undelivered).toHaveLength(7);
  });

  it('names every one of the 300 changes at least once', () => {
    const named = expectedRefCounts(agenda, ALL_SECTIONS);
    for (let id = 1; id <= 300; id += 1) expect(named.get(`CHG-${id}`) ?? 0, `CHG-${id}`).toBeGreaterThan(0);
  });
});

describe('agendaMessages', () => {
  const agenda = bigAgenda();
  const heading = meetingHeading();
  const messages = agendaMessages(agenda, policy, heading);

  it('splits a 300-change agenda into several messages Slack accepts', () => {
    expect(messages.length).toBeGreaterThan(3);
    expectValidMessages(messages);
  });

  it('loses no change: each CHG-<n> appears as often as the agenda lists it', () => {
    const expected = expectedRefCounts(agenda, ALL_SECTIONS);
    const actual = refCounts(sectionTexts(messages).join('\n'));
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    // A change both awaiting the board and on the calendar is named twice, as is one both flagged and scheduled.
    expect(actual.get('CHG-10')).toBe(2);
    expect(actual.get('CHG-38')).toBe(2);
    // In the freeze, on the calendar and flagged.
    expect(actual.get('CHG-8')).toBe(3);
  });

  it('keeps every line whole and in the policy order', () => {
    const text = sectionTexts(messages).join('\n');
    for (const entry of agenda.forApproval) expect(text).toContain(headlineText(entry.change, policy));
    const titles = [...text.matchAll(/^\*(\d+)\. (.*)\*$/gm)].map((match) => `${match[1]}. ${match[2]}`);
    expect(titles).toEqual(policy.cab.agenda_sections.map((entry, index) => `${index + 1}. ${escaped(entry.title)}`));
  });

  it('escapes &, < and > in titles and reasons, leaving only its own markup', () => {
    const text = sectionTexts(messages).join('\n');
    for (let id = 1; id <= 300; id += 1) expect(text).toContain(escaped(longTitle(id)));
    expect(text).toContain('&amp;');
    expect(text).toContain('&lt;core&gt;');
    expect(text).toContain(escaped(FREEZE.reason));
    expect(text).toContain('rate_limited &amp; &lt;retry&gt;');
    expect(text).not.toContain('<core>');
    const bare = withoutSlackMarkup(text);
    expect(bare).not.toMatch(/[<>]/);
    expect(bare).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });

  it('starts the first message with the header and ends it with the close button', () => {
    const [first] = messages;
    expect(first?.text).toBe(heading.title);
    expect(first?.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: heading.title, emoji: true },
    });
    expect(first?.blocks[1]?.type).toBe('context');
    expect(contextTexts(first ?? { text: '', blocks: [] }).join('\n')).toContain('Posted late');
    expect(first?.blocks.at(-1)).toEqual(heading.actions);
    expect(first?.blocks.filter((block) => block.type === 'actions')).toHaveLength(1);
  });

  it('starts each continuation with a "continued, i of n" context', () => {
    const count = messages.length;
    messages.slice(1).forEach((message, index) => {
      const [lead] = message.blocks;
      expect(lead?.type).toBe('context');
      expect(contextTexts({ text: '', blocks: lead ? [lead] : [] })).toEqual([
        `${escaped(heading.title)} — continued, ${index + 2} of ${count}`,
      ]);
      expect(message.text).toBe(`${heading.title} (continued, ${index + 2} of ${count})`);
      expect(message.blocks.filter((block) => block.type === 'header' || block.type === 'actions')).toEqual([]);
    });
  });

  it('does not move the page breaks when the heading changes', () => {
    const closed = agendaMessages(agenda, policy, {
      title: heading.title,
      notes: [
        'Closed by <@U0CHAIR01> just now; the minutes are in the thread.',
        'A second, rather longer note '.repeat(10),
      ],
      actions: undefined,
    });
    expect(closed).toHaveLength(messages.length);
    expect(closed.slice(1)).toEqual(messages.slice(1));
    // The first message keeps the same body: only the heading and the button differ.
    expect(closed[0]?.blocks.slice(2)).toEqual(messages[0]?.blocks.slice(2, -1));
    expectValidMessages(closed);
  });

  it('stays within the limits with the largest heading it can be given', () => {
    const noisy = agendaMessages(agenda, policy, {
      title: `CAB agenda & <minutes> · ${'Wednesday '.repeat(20)}`,
      notes: Array.from({ length: 40 }, (_, index) => `Note ${index}: ${'& <late> '.repeat(20)}`),
      actions: {
        type: 'actions',
        elements: Array.from({ length: 5 }, (_, index) => ({
          type: 'button',
          text: { type: 'plain_text', text: `${index} ${'x'.repeat(70)}` },
          action_id: `a${index}`,
          value: 'v',
        })),
      },
    });
    expect(noisy).toHaveLength(messages.length);
    expectValidMessages(noisy);
  });

  it.each([1, 10, 60, 1_000, 2_500])('renders a %i-change agenda within the limits, losing nothing', (count) => {
    // The freeze is left out here: the next test has a freeze with many changes inside.
    const sized = bigAgenda(count, policy);
    const rendered = agendaMessages(sized, policy, meetingHeading());
    expectValidMessages(rendered);
    expect(Object.fromEntries(refCounts(sectionTexts(rendered).join('\n')))).toEqual(
      Object.fromEntries(expectedRefCounts(sized, ALL_SECTIONS)),
    );
  });

  // Each change planned inside a freeze has its own line, so a long list splits between sections
  // instead of being cut (7.3 (5) exists to warn the board about exactly these changes).
  it('lists every change planned inside a freeze, however many', () => {
    const wideFreeze: Policy = {
      ...policy,
      freezes: [{ from: '2026-03-05', to: '2026-03-17', reason: 'Migration freeze' }],
    };
    const agenda_ = buildAgenda(busyWeek(300), wideFreeze, WINDOW);
    const inside = agenda_.freezes[0]?.plannedInside ?? [];
    expect(inside.length).toBe(60);
    const rendered = agendaMessages(agenda_, wideFreeze, meetingHeading(wideFreeze));
    expectValidMessages(rendered);
    expect(Object.fromEntries(refCounts(sectionTexts(rendered).join('\n')))).toEqual(
      Object.fromEntries(expectedRefCounts(agenda_, ALL_SECTIONS)),
    );
  });
});

describe('an empty agenda', () => {
  const messages = agendaMessages(emptyAgenda(), policy, meetingHeading());

  it('is one valid message', () => {
    expect(messages).toHaveLength(1);
    expectValidMessages(messages);
  });

  it('names every section, each with "Nothing to report."', () => {
    expect(sectionTexts(messages)).toEqual(
      policy.cab.agenda_sections.map((entry, index) => `*${index + 1}. ${escaped(entry.title)}*\n_Nothing to report._`),
    );
    expect(policy.cab.agenda_sections).toHaveLength(6);
  });
});

describe('the policy decides the sections', () => {
  const yaml = MINIMAL_POLICY_YAML.replace(
    /^cab: .*$/m,
    `cab:
  channel: C0CAB0001
  chair: U0CHAIR01
  schedule: "0 10 * * 3"
  agenda_sections:
    - { id: open_issues, title: "Risks & <concerns>" }
    - { id: changes_for_approval, title: "For the board" }
    - { id: previous_changes, title: "Last week" }`,
  );
  const custom = parsePolicy(yaml, 'sections.yml').policy;

  it('parses the reordered, retitled sections (the cab line replaced, not duplicated)', () => {
    expect(yaml.match(/^cab:/gm)).toHaveLength(1);
    expect(custom.cab.chair).toBe('U0CHAIR01');
    expect(custom.cab.agenda_sections.map((entry) => entry.id)).toEqual([
      'open_issues',
      'changes_for_approval',
      'previous_changes',
    ]);
  });

  it('renders an empty agenda with those titles, in that order', () => {
    const messages = agendaMessages(emptyAgenda(), custom, meetingHeading(custom));
    expect(sectionTexts(messages)).toEqual([
      '*1. Risks &amp; &lt;concerns&gt;*\n_Nothing to report._',
      '*2. For the board*\n_Nothing to report._',
      '*3. Last week*\n_Nothing to report._',
    ]);
  });

  it('renders the big agenda with only those sections, in that order', () => {
    const agenda = bigAgenda(300, { ...custom, freezes: [FREEZE] });
    const messages = agendaMessages(agenda, custom, meetingHeading(custom));
    expectValidMessages(messages);
    const text = sectionTexts(messages).join('\n');
    expect([...text.matchAll(/^\*(\d+)\. (.*)\*$/gm)].map((match) => match[0])).toEqual([
      '*1. Risks &amp; &lt;concerns&gt;*',
      '*2. For the board*',
      '*3. Last week*',
    ]);
    expect(Object.fromEntries(refCounts(text))).toEqual(
      Object.fromEntries(expectedRefCounts(agenda, ['open_issues', 'changes_for_approval', 'previous_changes'])),
    );
    // The sections left out are not rendered: no calendar, freeze or emergency lines.
    expect(text).not.toContain('verbal approvals:');
    expect(text).not.toContain('planned inside it');
    expect(text).not.toMatch(/^• <!date/m);
    expect(text.indexOf('Risks &amp;')).toBeLessThan(text.indexOf('For the board'));
    expect(text.indexOf('For the board')).toBeLessThan(text.indexOf('Last week'));
  });
});

describe('agendaPreview', () => {
  const agenda = bigAgenda();
  const pages = agendaMessages(agenda, policy, { title: 'any', notes: [], actions: undefined }).length;

  it.each([true, false])('is one valid message for the 300-change agenda (chair: %s)', (isChair) => {
    const preview = agendaPreview(agenda, policy, isChair);
    expectValidMessages([preview]);
    expect(preview.blocks.length).toBeLessThanOrEqual(50);
    expect(preview.blocks[0]?.type).toBe('header');
    expect(preview.text).toMatch(/^Preview: CAB agenda · /);
    const more = contextTexts(preview).find((text) => text.includes('more message(s)'));
    expect(more).toBe(`…and ${pages - 1} more message(s) of agenda, posted in the thread with it.`);
    const actions = preview.blocks.filter((block): block is types.ActionsBlock => block.type === 'actions');
    if (isChair) {
      expect(actions).toHaveLength(1);
      expect(preview.blocks.at(-1)).toBe(actions[0]);
      expect(
        actions[0]?.elements.map((element) => (element.type === 'button' ? element.text.text : element.type)),
      ).toEqual(['Post now']);
    } else {
      expect(actions).toEqual([]);
      expect(JSON.stringify(preview)).not.toContain('Post now');
    }
  });

  it('shows a small agenda whole, without "more message(s)"', () => {
    const preview = agendaPreview(emptyAgenda(), policy, true);
    expectValidMessages([preview]);
    expect(contextTexts(preview).some((text) => text.includes('more message(s)'))).toBe(false);
    expect(preview.blocks.at(-1)?.type).toBe('actions');
  });
});

// ---------------------------------------------------------------------------------------------

const VOTERS = ['U0CAB0001', 'U0CAB0002', 'U0CAB0003', 'U0CAB0004', 'S0CABGRP1'];
const OUTCOMES: readonly (CabOutcome | null)[] = ['approve', 'reject', 'defer', null];
const mention = (id: string) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`);

function minutesItem(
  id: number,
  reason = `Reason ${id}: ${'the rollback & <canary> plan > the risk; '.repeat(20)}`,
): MinutesItem {
  const outcome = OUTCOMES[id % OUTCOMES.length] ?? null;
  const votes: CabVote[] = VOTERS.slice(0, 1 + (id % VOTERS.length)).map((voterId, index) => ({
    voterId,
    vote: (['approve', 'reject', 'defer'] as const)[(id + index) % 3] ?? 'approve',
  }));
  return {
    ref: `CHG-${id}`,
    title: longTitle(id),
    phase: id % 7 === 0 ? 'retro_approval' : 'approval',
    outcome,
    decidedBy: outcome ? 'U0CHAIR01' : null,
    reason: outcome ? reason : null,
    votes,
  };
}

function bigMinutes(
  count = 300,
  notes: string | null = 'Minutes & <notes>: next time > 2 hours & <@U0CAB0001> chairs',
): Minutes {
  return {
    kind: 'regular',
    meetingAt: MEETING_AT.toISOString(),
    late: true,
    chairId: 'U0CHAIR01',
    closedBy: 'U0CHAIR01',
    closedAt: new Date(MEETING_AT.getTime() + 3_600_000).toISOString(),
    notes,
    participants: [...VOTERS, 'U0CHAIR01'],
    items: Array.from({ length: count }, (_, index) => minutesItem(index + 1)),
  };
}

/** The line of the minutes about `ref`. */
/** An item of the minutes: its line and the reason lines indented under it, joined by spaces. */
function minutesLine(text: string, ref: string): string | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`• *${ref}* · `));
  if (start < 0) return undefined;
  const reasonLines = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('    ')) break;
    reasonLines.push(line.trim());
  }
  return [lines[start], ...reasonLines].join(' ');
}

/** Text with every run of white space made one space: long text is split into lines at spaces. */
const normalized = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('minutesMessages', () => {
  const minutes = bigMinutes();
  const messages = minutesMessages(minutes, policy);
  const text = sectionTexts(messages).join('\n');

  it('splits 300 items into several messages Slack accepts', () => {
    expect(messages.length).toBeGreaterThan(3);
    expectValidMessages(messages);
    expect(messages[0]?.blocks[0]?.type).toBe('header');
    messages.slice(1).forEach((message, index) => {
      expect(contextTexts({ text: '', blocks: message.blocks.slice(0, 1) })[0]).toMatch(
        new RegExp(`— continued, ${index + 2} of ${messages.length}$`),
      );
    });
  });

  it('lists every item once, with its decision and every vote', () => {
    const counts = refCounts(text);
    for (const item of minutes.items) {
      expect(counts.get(item.ref), item.ref).toBe(1);
      const line = minutesLine(text, item.ref);
      expect(line, item.ref).toBeDefined();
      expect(line).toContain(escaped(item.title));
      for (const vote of item.votes) expect(line).toContain(mention(vote.voterId));
      if (item.reason) expect(normalized(line ?? '')).toContain(normalized(escaped(item.reason)));
      else expect(line).toContain('*not decided*');
    }
    const decided = minutes.items.filter((item) => item.outcome).length;
    expect(text).toContain(`*Decisions* (${decided} of 300 changes decided)`);
  });

  it('escapes the notes, and the titles and reasons', () => {
    expect(text).toContain(
      '*Notes*\nMinutes &amp; &lt;notes&gt;: next time &gt; 2 hours &amp; &lt;@U0CAB0001&gt; chairs',
    );
    expect(text).not.toContain('<notes>');
    expect(text).not.toContain('<canary>');
    const bare = withoutSlackMarkup(text);
    expect(bare).not.toMatch(/[<>]/);
    expect(bare).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });

  it('is one message when there is little to record', () => {
    const small = minutesMessages({ ...bigMinutes(0, null) }, policy);
    expect(small).toHaveLength(1);
    expectValidMessages(small);
    expect(sectionTexts(small).join('\n')).toBe(
      '*Decisions* (0 of 0 changes decided)\n_No change was put to the board._\n*Notes*\n_None._',
    );
  });

  // Escaping makes notes longer than the modal's 2,900 characters: they are split into lines at spaces
  // (never cut) before they are escaped.
  it('keeps notes of the modal’s full length whole, even with & < > in them', () => {
    const notes = `${'Follow-ups: R&D -> ops; '.repeat(120)}`.slice(0, 2900);
    const rendered = minutesMessages(bigMinutes(3, notes), policy);
    expectValidMessages(rendered);
    expect(normalized(sectionTexts(rendered).join('\n'))).toContain(normalized(escaped(notes)));
  });

  // A reason at the modal's 2,000-character limit, with & < > escaped, still leaves the votes on the item.
  it('keeps every vote of an item whose reason is at the modal’s 2,000-character limit', () => {
    const reason = 'R&D <staging> & ops -> '.repeat(100).slice(0, 2000);
    const item = minutesItem(2, reason);
    const rendered = minutesMessages({ ...bigMinutes(0), items: [item] }, policy);
    expectValidMessages(rendered);
    const line = minutesLine(sectionTexts(rendered).join('\n'), item.ref) ?? '';
    for (const vote of item.votes) expect(line).toContain(mention(vote.voterId));
  });
});

// ---------------------------------------------------------------------------------------------

describe('linesToSections', () => {
  it('cuts a line longer than a section to 3,000 characters ending in "…"', () => {
    const long = `start ${'x'.repeat(5_000)}`;
    const sections = linesToSections(['short', long, 'after']);
    const texts = sections.map((block) => block.text?.text ?? '');
    expect(texts).toHaveLength(3);
    expect(texts[0]).toBe('short');
    expect(texts[1]).toHaveLength(SECTION_TEXT_LIMIT);
    expect(texts[1]?.endsWith('…')).toBe(true);
    expect(texts[1]?.startsWith('start xxx')).toBe(true);
    expect(texts[2]).toBe('after');
  });

  it('keeps a line of exactly 3,000 characters whole', () => {
    const line = 'y'.repeat(SECTION_TEXT_LIMIT);
    expect(linesToSections([line]).map((block) => block.text?.text)).toEqual([line]);
  });

  it('never splits a line, and packs as many whole lines as fit into each section', () => {
    const lines = Array.from({ length: 400 }, (_, index) => `L${index}:${'z'.repeat((index * 7919) % 2_990)}`);
    const texts = linesToSections(lines).map((block) => block.text?.text ?? '');
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
    expect(texts.flatMap((text) => text.split('\n'))).toEqual(lines);
    // Greedy: the next section's first line would not have fit on the one before.
    for (let index = 0; index + 1 < texts.length; index += 1) {
      const next = texts[index + 1]?.split('\n')[0] ?? '';
      expect((texts[index]?.length ?? 0) + 1 + next.length).toBeGreaterThan(SECTION_TEXT_LIMIT);
    }
  });

  it('gives no sections for no lines', () => {
    expect(linesToSections([])).toEqual([]);
  });
});

describe('paginate', () => {
  const small = (index: number) => section(`block ${index}`);
  const big = (index: number) => section(`${index}:${'w'.repeat(2_900)}`);
  const pageChars = (page: readonly types.KnownBlock[]) => page.reduce((sum, block) => sum + blockTextLength(block), 0);

  it('always returns at least one page', () => {
    expect(paginate([], { blocks: 0, chars: 0 })).toEqual([[]]);
    expect(paginate([], { blocks: 3, chars: 1_000 })).toEqual([[]]);
  });

  it('keeps the blocks in order and leaves the reserved blocks free on the first page', () => {
    const blocks = Array.from({ length: 200 }, (_, index) => small(index));
    const pages = paginate(blocks, { blocks: 3, chars: 1_000 });
    expect(pages.flat()).toEqual(blocks);
    expect(pages[0]).toHaveLength(49 - 3);
    for (const page of pages.slice(1, -1)) expect(page).toHaveLength(49);
    for (const page of pages) expect(page.length).toBeGreaterThan(0);
  });

  it('leaves the reserved characters free on the first page and keeps every page within the budget', () => {
    const blocks = Array.from({ length: 30 }, (_, index) => big(index));
    const reserve = { blocks: 2, chars: 3_500 };
    const pages = paginate(blocks, reserve);
    expect(pages.flat()).toEqual(blocks);
    expect(pageChars(pages[0] ?? []) + reserve.chars).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET);
    expect(pages[0]).toHaveLength(2);
    for (const page of pages.slice(1)) {
      expect(pageChars(page)).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET);
      expect(page).toHaveLength(4);
    }
  });

  it('takes a smaller block limit', () => {
    const pages = paginate(
      Array.from({ length: 25 }, (_, index) => small(index)),
      { blocks: 1, chars: 0 },
      10,
    );
    expect(pages.map((page) => page.length)).toEqual([9, 10, 6]);
  });

  it('counts characters the way the checker does', () => {
    const blocks: types.KnownBlock[] = [
      section('abc'),
      { type: 'header', text: { type: 'plain_text', text: 'head' } },
      closeMeetingActions(1),
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'ctx' },
          { type: 'plain_text', text: 'more' },
        ],
      },
      { type: 'divider' },
    ];
    const total = blocks.reduce((sum, block) => sum + blockTextLength(block), 0);
    expect(total).toBe(3 + 4 + 'Close meeting & record minutes'.length + 3 + 4);
    expect(slackProblems({ text: 'x', blocks })).toEqual([]);
  });
});
