import { describe, expect, it } from 'vitest';
import { formatChangeRef, parseChangeRef } from '../../src/domain/change-ref.js';
import { escapeMrkdwn, mentionMember } from '../../src/slack/blocks/mrkdwn.js';
import { parseCommandText, parseUserMention, unescapeCommandText } from '../../src/slack/command-text.js';

describe('parseCommandText', () => {
  it.each([
    { name: 'empty text: no subcommand (not "help")', text: '', subcommand: '', args: '' },
    { name: 'only spaces', text: '   ', subcommand: '', args: '' },
    { name: 'only a newline and a tab', text: '\n\t', subcommand: '', args: '' },
    { name: '"  HELP  " is help, lower-cased and trimmed', text: '  HELP  ', subcommand: 'help', args: '' },
    { name: '"show CHG-1"', text: 'show CHG-1', subcommand: 'show', args: 'CHG-1' },
    {
      name: 'the subcommand is lower-cased, the args keep their case',
      text: 'SHOW chg-1',
      subcommand: 'show',
      args: 'chg-1',
    },
    { name: 'several spaces between subcommand and args', text: 'show    CHG-1   ', subcommand: 'show', args: 'CHG-1' },
    { name: 'a tab between subcommand and args', text: 'show\tCHG-1', subcommand: 'show', args: 'CHG-1' },
    {
      name: 'args keep their inner spacing',
      text: 'new Fix  the   login page',
      subcommand: 'new',
      args: 'Fix  the   login page',
    },
    {
      name: 'multi-line args keep their line breaks',
      text: 'note CHG-7 first line\nsecond line\n\nfourth line',
      subcommand: 'note',
      args: 'CHG-7 first line\nsecond line\n\nfourth line',
    },
    { name: 'args starting on the next line', text: 'note\nCHG-7 body', subcommand: 'note', args: 'CHG-7 body' },
    {
      name: 'trailing blank lines are trimmed from the args',
      text: 'note CHG-7 body\n\n  \n',
      subcommand: 'note',
      args: 'CHG-7 body',
    },
    { name: 'a single word with no args', text: 'list', subcommand: 'list', args: '' },
    {
      name: 'punctuation belongs to the subcommand word',
      text: 'show:CHG-1 now',
      subcommand: 'show:chg-1',
      args: 'now',
    },
  ])('$name', ({ text, subcommand, args }) => {
    expect(parseCommandText(text)).toEqual({ subcommand, args });
  });
});

describe('change references', () => {
  it.each([
    { text: 'CHG-42', id: 42 },
    { text: 'chg-7', id: 7 },
    { text: 'Chg-7', id: 7 },
    { text: '  CHG-42  ', id: 42 },
    { text: 'CHG-1', id: 1 },
    { text: 'CHG-007', id: 7 },
    { text: 'CHG-999999999999999', id: 999_999_999_999_999 },
    { text: 'CHG-0', id: undefined },
    { text: 'CHG-000', id: undefined },
    { text: 'CHG-', id: undefined },
    { text: '42', id: undefined },
    { text: '', id: undefined },
    { text: 'CHG42', id: undefined },
    { text: 'CHG -42', id: undefined },
    { text: 'CHG--1', id: undefined },
    { text: 'CHG-1.5', id: undefined },
    { text: 'CHG-42x', id: undefined },
    { text: 'XCHG-42', id: undefined },
    { text: 'CHG-42 CHG-43', id: undefined },
    { text: 'CHG-1234567890123456', id: undefined },
    { text: 'CHG-١٢', id: undefined },
  ])('parseChangeRef($text) → $id', ({ text, id }) => {
    expect(parseChangeRef(text)).toBe(id);
  });

  it.each([
    { id: 1, text: 'CHG-1' },
    { id: 42, text: 'CHG-42' },
    { id: 100_000, text: 'CHG-100000' },
  ])('formatChangeRef($id) → $text, and it parses back', ({ id, text }) => {
    expect(formatChangeRef(id)).toBe(text);
    expect(parseChangeRef(text)).toBe(id);
  });
});

describe('escapeMrkdwn', () => {
  it.each([
    { text: 'a & <b>', expected: 'a &amp; &lt;b&gt;' },
    { text: '<@U0PEER001>', expected: '&lt;@U0PEER001&gt;' },
    { text: '<!channel>', expected: '&lt;!channel&gt;' },
    { text: '<https://evil.example|click>', expected: '&lt;https://evil.example|click&gt;' },
    { text: '&amp;', expected: '&amp;amp;' },
    { text: '&lt;', expected: '&amp;lt;' },
    { text: 'a >= b && c <= d', expected: 'a &gt;= b &amp;&amp; c &lt;= d' },
    { text: '*bold* _italic_ `code`', expected: '*bold* _italic_ `code`' },
    { text: 'line 1\nline 2', expected: 'line 1\nline 2' },
    { text: '', expected: '' },
  ])('escapeMrkdwn($text) → $expected', ({ text, expected }) => {
    expect(escapeMrkdwn(text)).toBe(expected);
  });
});

describe('mentionMember', () => {
  it.each([
    { id: 'U0PEER001', expected: '<@U0PEER001>' },
    { id: 'W0ENTUSR1', expected: '<@W0ENTUSR1>' },
    { id: 'S0GROUP01', expected: '<!subteam^S0GROUP01>' },
  ])('mentionMember($id) → $expected', ({ id, expected }) => {
    expect(mentionMember(id)).toBe(expected);
  });
});

describe('parseUserMention: only a person Slack sent as a mention', () => {
  it.each([
    { token: '<@U0DEP0001>', id: 'U0DEP0001' },
    { token: '<@U0DEP0001|deputy>', id: 'U0DEP0001' },
    { token: '<@W0ENTUSR1|ent user>', id: 'W0ENTUSR1' },
    { token: '@deputy', id: undefined },
    { token: 'U0DEP0001', id: undefined },
    { token: '&lt;@U0DEP0001&gt;', id: undefined },
    { token: '<#C0LOG0001|log>', id: undefined },
    { token: '<!subteam^S0PEERS01>', id: undefined },
    { token: '<@u0dep0001>', id: undefined },
    { token: '<@U0DEP0001|a<b>', id: undefined },
    { token: '', id: undefined },
  ])('$token → $id', ({ token, id }) => {
    expect(parseUserMention(token)).toBe(id);
  });
});

describe('unescapeCommandText: what the person typed', () => {
  it.each([
    { text: 'Q&amp;A &lt;launch&gt;', typed: 'Q&A <launch>' },
    { text: '&amp;lt;', typed: '&lt;' },
    { text: 'plain', typed: 'plain' },
    { text: 'ask <@U0DEP0001|deputy> now', typed: 'ask @deputy now' },
    { text: '<@U0DEP0001>', typed: '@U0DEP0001' },
    { text: 'in <#C0LOG0001|change-log>', typed: 'in #change-log' },
    { text: '<!here> <!subteam^S0PEERS01|@peers>', typed: '@here @peers' },
    { text: 'see <https://example.com/a?b=1&amp;c=2|example.com/a>', typed: 'see example.com/a' },
    { text: 'see <https://example.com>', typed: 'see https://example.com' },
    { text: '&lt;@U0DEP0001&gt; typed by hand', typed: '<@U0DEP0001> typed by hand' },
  ])('$text → $typed', ({ text, typed }) => {
    expect(unescapeCommandText(text)).toBe(typed);
  });
});
