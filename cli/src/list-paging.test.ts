import { COMMAND_FLAGS, PAGING } from '@mitra/core';
import { parseCommand } from './args';
import { stdio } from './command';
import { main } from './main';

/** saved list, alerts list and alerts history, and the version list of history, page as the question commands do: --size and --cursor. */
describe('list commands take the questions’ paging flags', () => {
  it('declare --size and --cursor with the questions’ very shapes (one declaration)', () => {
    for (const command of ['saved', 'alerts', 'history'] as const) {
      expect(COMMAND_FLAGS[command].size).toBe(PAGING.size.type);
      expect(COMMAND_FLAGS[command].cursor).toBe(PAGING.cursor.type);
    }
  });

  it.each([
    ['saved', 'list'],
    ['alerts', 'list'],
    ['alerts', 'history'],
  ] as const)('mitra %s %s --size 5 --cursor C parses; a bad size is one line naming the flag; --page is unknown', (command, action) => {
    const { values, positionals } = parseCommand(command, [action, '--size', '5', '--cursor', ' WyJhIl0 ']);
    expect(positionals).toEqual([action]);
    expect({ size: values.size, cursor: values.cursor }).toEqual({ size: 5, cursor: 'WyJhIl0' });
    for (const bad of ['0', '10001', 'ten'])
      expect(() => parseCommand(command, [action, '--size', bad])).toThrow(
        new RegExp(`^--size "${bad}" is out of range: use a whole number from 1 to 10000; see mitra ${command} --help$`),
      );
    expect(() => parseCommand(command, [action, '--page', '2'])).toThrow(/Unknown option '--page'/);
  });

  it('mitra history HOST PATH --size 5 --cursor C parses; a bad size is one line; --page is unknown', () => {
    const { values, positionals } = parseCommand('history', ['web-01', '/etc/hosts', '--size', '5', '--cursor', 'WyJhIl0']);
    expect(positionals).toEqual(['web-01', '/etc/hosts']);
    expect({ size: values.size, cursor: values.cursor }).toEqual({ size: 5, cursor: 'WyJhIl0' });
    expect(() => parseCommand('history', ['web-01', '/etc/hosts', '--size', '10001'])).toThrow(
      /^--size "10001" is out of range: use a whole number from 1 to 10000; see mitra history --help$/,
    );
    expect(() => parseCommand('history', ['web-01', '/etc/hosts', '--page', '2'])).toThrow(/Unknown option '--page'/);
  });

  it.each([
    [['prune', '365d'], /^mitra: prune takes no arguments, got "365d": give the retention as --retention 90d/],
    [['setup', 'extra'], /^mitra: setup takes no arguments, got "extra": /],
    [['serve', '8080'], /^mitra: serve takes no arguments, got "8080": give the port as --port N/],
    [['agent', 'runner.yaml'], /^mitra: agent takes no arguments, got "runner.yaml": give the config as -c runner.yaml/],
    [['saved', 'list', 'mine'], /^mitra: saved list: unexpected argument "mine"$/],
    [['alerts', 'list', 'mine'], /^mitra: alerts list: unexpected argument "mine"$/],
  ])('mitra %j: a stray word is exit 2 before anything connects, never ignored', async (argv, message) => {
    const lines: string[] = [];
    jest.spyOn(stdio, 'err').mockImplementation((line) => void lines.push(line));
    jest.spyOn(stdio, 'out').mockImplementation((line) => void lines.push(line));
    try {
      expect(await main([...argv, '--es', 'http://127.0.0.1:1'])).toBe(2);
    } finally {
      jest.restoreAllMocks();
    }
    expect(lines).toEqual([expect.stringMatching(message)]);
  });

  it('a bad size is exit 2 before anything connects', async () => {
    const lines: string[] = [];
    jest.spyOn(stdio, 'err').mockImplementation((line) => void lines.push(line));
    jest.spyOn(stdio, 'out').mockImplementation((line) => void lines.push(line));
    try {
      // Port 1: nothing listens there, so a connection attempt would be another exit code and message.
      expect(await main(['saved', 'list', '--size', '0', '--es', 'http://127.0.0.1:1'])).toBe(2);
    } finally {
      jest.restoreAllMocks();
    }
    expect(lines).toEqual(['mitra: --size "0" is out of range: use a whole number from 1 to 10000; see mitra saved --help']);
  });
});
