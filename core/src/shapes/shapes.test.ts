import { API_ROUTES } from '../api/router';
import { z } from 'zod';
import { bodyField, check, cliFlag, queryParam } from './check';
import { hostsQuestion } from '../questions/hosts';
import { COMMAND_FLAGS, commandShape, questionCommandShape, type CommandName } from '../commands';
import { fieldInfo, int, size, time } from './fields';

describe('declared input shapes', () => {
  it('every field says what it accepts and gives an example that it accepts', () => {
    for (const [name, flags] of Object.entries(COMMAND_FLAGS)) {
      const shape = commandShape(name as CommandName);
      for (const [flag, field] of Object.entries(flags)) {
        const info = fieldInfo(field);
        expect({ name, flag, declared: Boolean(info?.range && info.example) }).toEqual({ name, flag, declared: true });
        if (info!.kind === 'flag') continue;
        const value = info!.kind === 'list' ? [info!.example] : info!.example;
        expect({ name, flag, ok: shape.safeParse({ [flag]: value }).success }).toEqual({ name, flag, ok: true });
      }
    }
  });

  it('every API route declares its query string and body', () => {
    for (const route of API_ROUTES) {
      expect(route.query).toBeDefined();
      expect(route.body).toBeDefined();
      // Undeclared parameters are refused by every route.
      const res = route.query.safeParse({ zzz: '1' });
      expect(res.success ? [] : res.error.issues.filter((i) => i.code === 'unrecognized_keys')).toHaveLength(1);
    }
  });

  it('numbers, sizes and times refuse overflow, NaN, Infinity and typos with the accepted range', () => {
    const n = int(1, 1000);
    expect(() => check(n, '1e3', queryParam)).toThrow('parameter  "1e3" is out of range: use a whole number from 1 to 1000');
    for (const bad of ['NaN', 'Infinity', '-1', '0', '1001', '1.5', ' ', '99999999999999999999999'])
      expect(n.safeParse(bad).success).toBe(false);
    const s = size();
    for (const bad of ['1e23', '99999999999999999999999', '9000000T', '-1', 'NaN', 'Infinity', 1e23, -1, 1.5, null])
      expect({ bad, ok: s.safeParse(bad).success }).toEqual({ bad, ok: false });
    expect(s.parse('4k')).toBe(4096);
    const t = time();
    for (const bad of ['2026-13-45', '0001-01-01', 'yesterday', '-99999999999d', '99999-01-01'])
      expect({ bad, ok: t.safeParse(bad).success }).toEqual({ bad, ok: false });
    expect(t.parse('2026-11-27')).toBe('2026-11-27T00:00:00.000Z');
  });

  it('names a CLI flag the way it is typed', () => {
    expect(() => check(commandShape('history'), { from: 'now', to: '-1d' }, cliFlag)).toThrow(/^--from "now" \(.*\) is after the end time/);
    expect(() => check(questionCommandShape(hostsQuestion), { 'larger-than': '1e23' }, cliFlag)).toThrow(
      /^--larger-than "1e23" is not a size/,
    );
  });

  it('quotes a value too deeply nested to print (a JSON body of 200,000 nested lists) without overflowing the stack', () => {
    let deep: unknown = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(() => check(z.object({ name: z.string() }), { name: deep }, bodyField)).toThrow(/^field name must be text, not \[…\]$/);
  });
});
