import { fieldInfo, paramsOf, QUESTIONS, type Question } from '@mitra/core';
import { CATALOG_WITH_THROWAWAY } from '../../core/src/questions/throwaway.fixture';
import { stdio } from './command';
import { commandsOf, main } from './main';
import { parseQuestionArgs } from './question-command';

/** A value each kind of field refuses. */
const BAD: Record<string, string> = { text: '\u0007bell', int: 'many', size: 'big', duration: 'soon', time: 'someday', enum: 'nope' };

/** The argv that gives `name` the value `value`, with the other required parameters at their examples. */
function argvWith(q: Question, name: string, value: string): string[] {
  const argv: string[] = [];
  for (const [n, p] of Object.entries(paramsOf(q))) {
    const given = n === name ? value : p.type.isOptional() ? undefined : fieldInfo(p.type)!.example;
    if (given === undefined) continue;
    argv.push(...(p.positional ? [given] : [`--${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}=${given}`]));
  }
  return argv;
}

describe('question commands: flags derived from the catalog', () => {
  const cases = QUESTIONS.flatMap((q) => Object.entries(paramsOf(q)).map(([name, p]) => [q.id, name, q, p] as const));

  it.each(cases)('mitra %s: %s parses its example', (_id, name, q, p) => {
    const example = fieldInfo(p.type)!.example;
    const { params } = parseQuestionArgs(q, argvWith(q, name, example));
    // A relative time is relative to when it is parsed: compare its kind, not the instant.
    if (fieldInfo(p.type)!.kind === 'time') expect(Number.isNaN(Date.parse(String(params[name])))).toBe(false);
    else expect(params[name]).toEqual(p.type.parse(example));
  });

  it.each(cases)('mitra %s: %s refuses a bad value in one line naming it', (_id, name, q, p) => {
    const bad = BAD[fieldInfo(p.type)!.kind];
    let message = '';
    try {
      parseQuestionArgs(q, argvWith(q, name, bad));
    } catch (e) {
      message = (e as Error).message;
    }
    const label = p.positional ? 'argument' : `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(new RegExp(`^${label} .*; see mitra ${q.id} --help$`));
  });

  it.each(QUESTIONS.map((q) => [q.id, q] as const))(
    'mitra %s refuses unknown flags and a missing argument, and --help skips the checks',
    (_id, q) => {
      expect(() => parseQuestionArgs(q, [...argvWith(q, '', ''), '--page', '2'])).toThrow(
        /^mitra \S+: Unknown option '--page'; see mitra \S+ --help$/,
      );
      expect(parseQuestionArgs(q, ['--help', ...(q.paged ? ['--size', 'zero'] : ['--json'])]).values.help).toBe(true);
      const positional = Object.values(q.params).some((p) => p.positional);
      if (positional)
        expect(() => parseQuestionArgs(q, [])).toThrow(
          new RegExp(`^${q.id} needs [A-Z]+, e.g. mitra ${q.id} .+; see mitra ${q.id} --help$`),
        );
    },
  );

  it.each(QUESTIONS.filter((q) => !Object.values(q.params).some((p) => p.positional)).map((q) => [q.id, q] as const))(
    'mitra %s refuses a stray argument (mitra hosts zsh meant --package zsh): no answer to another question',
    (_id, q) => {
      expect(() => parseQuestionArgs(q, [...argvWith(q, '', ''), 'zsh'])).toThrow(
        new RegExp(`^${q.id} takes no arguments, got "zsh": give every condition as a flag; see mitra ${q.id} --help$`),
      );
    },
  );

  it('a value that starts with "-" (a sysctl value of -1, a generated password) is refused with the spelling that passes it', () => {
    const values = QUESTIONS.find((q) => q.id === 'values')!;
    expect(() => parseQuestionArgs(values, ['kernel.perf_event_paranoid', '--value', '-1'])).toThrow(
      /^mitra values: the value of --value starts with "-": write it as --value=VALUE; see mitra values --help$/,
    );
    expect(parseQuestionArgs(values, ['kernel.perf_event_paranoid', '--value=-1']).params.value).toBe('-1');
  });

  it('a relative time is taken as a value: --at -2h', () => {
    const search = QUESTIONS.find((q) => q.id === 'search')!;
    const { params } = parseQuestionArgs(search, ['--at', '-2h', 'content:x']);
    expect(Date.parse(String(params.at))).toBeLessThan(Date.now() - 7_000_000);
  });
});

describe('a throwaway catalog entry becomes a command with no other change', () => {
  const out: string[] = [];
  beforeEach(() => {
    out.length = 0;
    jest.spyOn(stdio, 'out').mockImplementation((line) => void out.push(line));
    jest.spyOn(stdio, 'err').mockImplementation((line) => void out.push(line));
  });
  afterEach(() => jest.restoreAllMocks());

  it('mitra --help lists it and mitra resolv --help documents its argument and flags', async () => {
    const commands = commandsOf(CATALOG_WITH_THROWAWAY);
    expect(await main(['--help'], commands)).toBe(0);
    expect(out.join('\n')).toMatch(/^ {2}resolv +hosts whose \/etc\/resolv.conf names a nameserver$/m);
    out.length = 0;
    expect(await main(['resolv', '--help'], commands)).toBe(0);
    const help = out.join('\n');
    expect(help).toMatch(/^usage: mitra resolv NAMESERVER \[--search-domain X\] \[--json\]$/m);
    expect(help).toMatch(/^ {2}--search-domain X +also names this search domain; text of 1 to 255 characters$/m);
    // Not a command of the shipped catalog.
    out.length = 0;
    expect(await main(['resolv', '--help'])).toBe(2);
  });

  it('its flags are checked before anything connects (exit 2, one line)', async () => {
    const commands = commandsOf(CATALOG_WITH_THROWAWAY);
    expect(await main(['resolv', '10.0.0.2', '--search-domain', ''], commands)).toBe(2);
    expect(out).toEqual([
      'mitra: --search-domain "" is empty: give text of 1 to 255 characters, e.g. example.com; see mitra resolv --help',
    ]);
  });
});
