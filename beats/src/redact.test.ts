import { compileRedactions, redact, redactDefaults } from './redact';

describe('redact', () => {
  it('replaces every match, line-anchored, rules in order', () => {
    const rules = compileRedactions(
      [{ pattern: '^(\\s*password\\s*=\\s*).*$', replacement: '$1[REDACTED]' }, { pattern: 'token-[0-9a-f]+' }],
      'test',
    );
    const text = 'user = app\npassword = hunter2\n  password=s3cret\nkey token-abc123 and token-ff\n';
    expect(redact(text, rules)).toBe('user = app\npassword = [REDACTED]\n  password=[REDACTED]\nkey [REDACTED] and [REDACTED]\n');
  });

  it('is stateless across calls (global regexes keep lastIndex only with test/exec)', () => {
    const rules = compileRedactions([{ pattern: 'x' }], 'test');
    expect(redact('axb', rules)).toBe('a[REDACTED]b');
    expect(redact('axb', rules)).toBe('a[REDACTED]b');
  });

  it('leaves content alone without rules', () => {
    expect(redact('a=b\n', [])).toBe('a=b\n');
  });
});

describe('redact: defaults and off', () => {
  it('keeps the defaults unless told otherwise in so many words', () => {
    expect(redactDefaults(undefined, 'test')).toBe(true);
    expect(redactDefaults([{ pattern: 'x' }], 'test')).toBe(true);
    expect(redactDefaults({ rules: [] }, 'test')).toBe(true);
    expect(redactDefaults('off', 'test')).toBe(false);
    expect(redactDefaults(false, 'test')).toBe(false);
    expect(redactDefaults({ defaults: 'off', rules: [{ pattern: 'x' }] }, 'test')).toBe(false);
    expect(compileRedactions({ defaults: false, rules: [{ pattern: 'x' }] }, 'test')).toHaveLength(1);
    expect(compileRedactions('off', 'test')).toEqual([]);
  });

  it('names what is wrong', () => {
    expect(() => redactDefaults({ defaults: 'maybe' }, 'test')).toThrow('test: "redact.defaults" must be true or false (off), not "maybe"');
    expect(() => compileRedactions({ rulez: [] }, 'test')).toThrow('test: unknown key "redact.rulez": use defaults or rules');
    expect(() => compileRedactions('on', 'test')).toThrow(/"redact" must be a list of \{pattern, replacement\} rules/);
  });
});
