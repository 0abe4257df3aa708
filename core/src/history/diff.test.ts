import { diffLines, splitLines, unifiedDiff } from './diff';

/** Reference: LCS length by dynamic programming, to check the Myers script is minimal. */
function lcsLength(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) dp[i][j] = a[i - 1] === b[j - 1] ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1]);
  return dp[a.length][b.length];
}

describe('splitLines', () => {
  it('keeps line ends so a missing final newline is visible', () => {
    expect(splitLines('a\nb\n')).toEqual(['a\n', 'b\n']);
    expect(splitLines('a\nb')).toEqual(['a\n', 'b']);
    expect(splitLines('')).toEqual([]);
  });
});

describe('diffLines', () => {
  it('produces a minimal script that rebuilds both sides (random inputs vs an LCS reference)', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: rand(12) }, () => 'xyzw'[rand(4)]);
      const b = Array.from({ length: rand(12) }, () => 'xyzw'[rand(4)]);
      const ops = diffLines(a, b);
      expect(ops.filter((o) => o.op !== '+').map((o) => o.line)).toEqual(a);
      expect(ops.filter((o) => o.op !== '-').map((o) => o.line)).toEqual(b);
      expect(ops.filter((o) => o.op === ' ').length).toBe(lcsLength(a, b));
    }
  });
});

describe('diffLines on large inputs', () => {
  it('two 10,000-line files that differ everywhere: a script that rebuilds both, in well under a second, not half a minute', () => {
    const a = Array.from({ length: 10_000 }, (_, i) => `${'A'.repeat(99)} ${i}\n`);
    const b = Array.from({ length: 10_000 }, (_, i) => `${'B'.repeat(99)} ${i}\n`);
    const started = Date.now();
    const ops = diffLines(a, b);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(ops.filter((o) => o.op !== '+').map((o) => o.line)).toEqual(a);
    expect(ops.filter((o) => o.op !== '-').map((o) => o.line)).toEqual(b);
  });

  it('a few changed lines in a large file are still found exactly', () => {
    const a = Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`);
    const b = [...a];
    b[100] = 'changed\n';
    b[19_000] = 'changed too\n';
    const ops = diffLines(a, b);
    expect(ops.filter((o) => o.op !== ' ')).toEqual([
      { op: '-', line: 'line 100\n' },
      { op: '+', line: 'changed\n' },
      { op: '-', line: 'line 19000\n' },
      { op: '+', line: 'changed too\n' },
    ]);
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('prints one hunk with 3 lines of context around a changed line', () => {
    const old = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n') + '\n';
    const changed = old.replace('5\n', 'five\n');
    // Line 5 changes: context is lines 2-4 and 6-8, so 7 lines on each side starting at line 2.
    expect(unifiedDiff(old, changed, { oldLabel: 'old', newLabel: 'new' })).toBe(
      ['--- old', '+++ new', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ''].join('\n'),
    );
  });

  it('splits distant changes into two hunks and merges close ones', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `l${i + 1}`);
    const old = lines.join('\n') + '\n';
    const far = old.replace('l2\n', 'L2\n').replace('l18\n', 'L18\n');
    const farDiff = unifiedDiff(old, far);
    // l2 -> hunk lines 1-5; l18 -> hunk lines 15-20 (end of file cuts the context).
    expect(farDiff.match(/^@@.*@@$/gm)).toEqual(['@@ -1,5 +1,5 @@', '@@ -15,6 +15,6 @@']);
    const near = old.replace('l5\n', 'L5\n').replace('l11\n', 'L11\n');
    // 5 unchanged lines between (6..10) < 2*3+1? No: 5 <= 6, so the contexts overlap: one hunk 2..14.
    expect(unifiedDiff(old, near).match(/^@@.*@@$/gm)).toEqual(['@@ -2,13 +2,13 @@']);
  });

  it('writes GNU ranges for pure insertions and deletions and for single lines', () => {
    expect(unifiedDiff('', 'new\n')).toBe('--- a\n+++ b\n@@ -0,0 +1 @@\n+new\n');
    expect(unifiedDiff('gone\n', '')).toBe('--- a\n+++ b\n@@ -1 +0,0 @@\n-gone\n');
    expect(unifiedDiff('a\nb\n', 'a\nx\nb\n')).toBe('--- a\n+++ b\n@@ -1,2 +1,3 @@\n a\n+x\n b\n');
  });

  it('marks a missing newline at the end of file', () => {
    expect(unifiedDiff('a\n', 'a')).toBe('--- a\n+++ b\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n');
  });
});
