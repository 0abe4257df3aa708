import { parseCondition, validRule } from './rules';

describe('alert rule validation', () => {
  const at = '2026-11-27T00:00:00.000Z';

  it('parses the CLI condition texts', () => {
    expect(parseCondition('matches > 3')).toEqual({ type: 'matches_above', threshold: 3 });
    expect(parseCondition(' matches>0 ')).toEqual({ type: 'matches_above', threshold: 0 });
    expect(parseCondition('hosts changed')).toEqual({ type: 'hosts_changed' });
    expect(parseCondition('file changed /etc/hosts')).toEqual({ type: 'file_changed', path: '/etc/hosts' });
    expect(() => parseCondition('matches >= 3')).toThrow(/--when "matches >= 3" is not a condition/);
  });

  it('fills defaults (log action, enabled) and keeps what was given', () => {
    const rule = validRule({ name: 'r', search: 's', vars: { a: '1' }, condition: { type: 'hosts_changed' } }, at, at);
    expect(rule).toEqual({
      name: 'r',
      description: '',
      search: 's',
      vars: { a: '1' },
      condition: { type: 'hosts_changed' },
      actions: [{ type: 'log' }],
      enabled: true,
      created: at,
      updated: at,
    });
  });

  it.each([[-1], [1.5], ['99999999999999999999'], [1e20], [null], [''], [true], ['3 hosts']])(
    'refuses threshold %j (not a whole number it can keep exactly)',
    (threshold) => {
      const rule = { name: 'r', search: 's', condition: { type: 'matches_above', threshold } } as unknown as Parameters<
        typeof validRule
      >[0];
      expect(() => validRule(rule, at, at)).toThrow(/^condition threshold ".*" is not a whole number from 0 to 9007199254740991/);
    },
  );

  it('keeps threshold 0, 7 and "7" as numbers', () => {
    for (const threshold of [0, 7, '7'])
      expect(validRule({ name: 'r', search: 's', condition: { type: 'matches_above', threshold } } as never, at, at).condition).toEqual({
        type: 'matches_above',
        threshold: Number(threshold),
      });
  });

  it('rejects ambiguous or incomplete rules, naming the problem', () => {
    const q = { kind: 'lucene', params: { query: 'x' } };
    expect(() => validRule({ name: 'r', search: 's', query: q, condition: { type: 'hosts_changed' } }, at, at)).toThrow(/not both/);
    expect(() => validRule({ name: 'r', condition: { type: 'hosts_changed' } }, at, at)).toThrow(/hosts_changed rule needs a query/);
    expect(validRule({ name: 'r', condition: { type: 'file_changed', path: '/etc/hosts' } }, at, at).query).toBeUndefined();
    expect(() => validRule({ name: 'r', query: q, condition: { type: 'nope' } as never }, at, at)).toThrow(/condition type "nope"/);
    expect(() =>
      validRule({ name: 'r', query: q, condition: { type: 'hosts_changed' }, actions: [{ type: 'email' } as never] }, at, at),
    ).toThrow(/action type "email"/);
  });
});
