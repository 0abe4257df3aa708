import { UsageError } from '../errors';
import { checkParams } from './kinds';
import { parseVars, placeholders, substitute } from './params';

describe('saved search parameters', () => {
  const params = { query: 'filename:"{{path}}" AND content:{{ word }}', nested: ['{{path}}', 3] };

  it('lists and fills every {{var}}, deep, leaving non-strings alone', () => {
    expect(placeholders(params)).toEqual(['path', 'word']);
    expect(substitute(params, { path: '/etc/fstab', word: 'ext4' }, 'saved search "s"')).toEqual({
      query: 'filename:"/etc/fstab" AND content:ext4',
      nested: ['/etc/fstab', 3],
    });
  });

  it('names a missing variable instead of substituting an empty string', () => {
    expect(() => substitute(params, { path: '/etc/fstab' }, 'saved search "s"')).toThrow(
      'saved search "s" needs parameter "word": pass it as --var word=VALUE (API: vars.word)',
    );
  });

  it('parses name=value pairs, keeping "=" in values', () => {
    expect(parseVars(['a=1', 'q=x=y'])).toEqual({ a: '1', q: 'x=y' });
    expect(() => parseVars(['novalue'])).toThrow(UsageError);
  });

  it('checks params against the kind', () => {
    expect(checkParams('values', { key: '{{k}}' })).toEqual({ key: '{{k}}' });
    expect(() => checkParams('values', {})).toThrow('a values query needs parameter key, e.g. vm.swappiness');
    expect(() => checkParams('values', { key: 'a', extra: 1 })).toThrow(/parameter extra is not a values parameter/);
    expect(() => checkParams('values', [])).toThrow(/params must be an object/);
    expect(() => checkParams('toString', {})).toThrow(/kind "toString" is not a query kind/);
    // Wrong types name the parameter and the accepted range; a placeholder is checked once filled.
    expect(() => checkParams('lucene', { query: null })).toThrow('parameter query must be text, not null');
    expect(() => checkParams('hosts', { file: '/x', largerThan: '99999999999999999999999' })).toThrow(
      /parameter largerThan .* is not a size/,
    );
    expect(() => checkParams('lucene', { query: 'a', size: 0 })).toThrow(
      'parameter size 0 is out of range: use a whole number from 1 to 10000',
    );
    expect(checkParams('lucene', { query: 'a', size: '{{n}}' })).toEqual({ query: 'a', size: '{{n}}' });
  });
});
