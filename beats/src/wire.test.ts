import { controlCharacter, MAX_REASON_BYTES, toWireDoc, withinBytes } from './wire';

const bytes = (s: string) => Buffer.byteLength(s);

describe('withinBytes', () => {
  it('keeps text within the bound as it is', () => {
    expect(withinBytes('abc', 3)).toBe('abc');
    expect(withinBytes('é'.repeat(2048), 4096)).toBe('é'.repeat(2048));
  });

  it('cuts longer text to the bound, on a character boundary, ending in …', () => {
    expect(withinBytes('abcdefgh', 6)).toBe('abc…');
    const cut = withinBytes('é'.repeat(3000), 4096);
    expect(bytes(cut)).toBeLessThanOrEqual(4096);
    expect(cut).toBe(`${'é'.repeat(2046)}…`);
    // A 4-byte character (a surrogate pair in UTF-16) is never split into a half with no UTF-8 form.
    const emoji = withinBytes('😀'.repeat(2000), 4096);
    expect(emoji).toBe(`${'😀'.repeat(1023)}…`);
    expect(Buffer.from(emoji, 'utf8').toString('utf8')).toBe(emoji); // a lone surrogate would come back as U+FFFD
  });
});

describe('toWireDoc', () => {
  const ctx = { host: { name: 'h' }, timestamp: '2026-12-03T10:00:00.000Z', tags: [], agentVersion: 'test' };

  it('bounds mitra.reason as the pipeline does: an error message can quote a path of up to 4096 bytes', () => {
    const long = `EACCES: permission denied, open '/${'d'.repeat(4090)}'`;
    const doc = toWireDoc({ path: '/x', state: 'unreadable', reason: long }, ctx, 'current');
    expect(bytes(doc.mitra.reason!)).toBeLessThanOrEqual(MAX_REASON_BYTES);
    expect(doc.mitra.reason!.startsWith("EACCES: permission denied, open '/ddd")).toBe(true);
    expect(toWireDoc({ path: '/x', state: 'missing', reason: 'ENOENT' }, ctx, 'current').mitra.reason).toBe('ENOENT');
  });
});

describe('controlCharacter', () => {
  it('finds the first control character of a path, and nothing in lookalikes', () => {
    expect(controlCharacter('/etc/new\nline')).toBe(10);
    expect(controlCharacter('/etc/del\u007f')).toBe(127);
    expect(controlCharacter('/etc/a\u0000b')).toBe(0);
    for (const ok of ['/etc/a b', '/etc/café', '/etc/back\\n', '/etc/\u00a0nbsp', '/etc/\u2028sep'])
      expect(controlCharacter(ok)).toBeUndefined();
  });
});
