/**
 * Line-based unified diff (Myers' O(ND) algorithm), written here rather than
 * pulled in as a dependency: it is ~150 lines, the output format is fixed
 * (GNU/git `diff -u`: `---/+++` header, `@@ -a,b +c,d @@` hunks, 3 context
 * lines, "\ No newline at end of file"), and the tests pin it exactly.
 */

export type EditOp = { op: ' ' | '-' | '+'; line: string };

export interface DiffOptions {
  /** Label of the old side, printed after `---`. */
  oldLabel?: string;
  /** Label of the new side, printed after `+++`. */
  newLabel?: string;
  /** Unchanged lines around each change (default 3). */
  context?: number;
}

/** Splits text into lines, each keeping its "\n" so a missing final newline is visible. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => `${l}\n`);
  if (text.endsWith('\n')) lines.pop();
  else lines[lines.length - 1] = lines[lines.length - 1].slice(0, -1);
  return lines;
}

/** The shortest edit script turning `a` into `b`, as a sequence of kept, removed and added lines. */
export function diffLines(a: string[], b: string[]): EditOp[] {
  // Common prefix and suffix never need the O(ND) search.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middle = myers(a.slice(start, endA), b.slice(start, endB));
  const keep = (line: string): EditOp => ({ op: ' ', line });
  return [...a.slice(0, start).map(keep), ...middle, ...a.slice(endA).map(keep)];
}

/**
 * Cells of V the search may remember (64 MiB of Int32). Each edit distance d keeps a copy of V (2(n+m)+3 cells),
 * so two 10,000-line files that differ everywhere would keep 20,000 copies (1.6 GB) and take half a minute.
 */
const TRACE_CELLS = 2 ** 24;

/** Myers 1986: walk diagonals by edit distance d, remembering each V to backtrack the path. */
function myers(a: string[], b: string[]): EditOp[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = max === 0;
  for (let d = 0; d <= max && !found; d++) {
    // Past the budget the script is no longer searched for: the middle is removed and added whole (still a
    // correct diff, as GNU diff gives up on minimality for large inputs).
    if ((d + 1) * v.length > TRACE_CELLS)
      return [...a.map((line): EditOp => ({ op: '-', line })), ...b.map((line): EditOp => ({ op: '+', line }))];
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]);
      let x = down ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  return backtrack(trace, a, b, offset);
}

function backtrack(trace: Int32Array[], a: string[], b: string[], offset: number): EditOp[] {
  const ops: EditOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : v[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ op: ' ', line: a[--x] });
      y--;
    }
    if (d === 0) break;
    if (down) ops.push({ op: '+', line: b[--y] });
    else ops.push({ op: '-', line: a[--x] });
  }
  return ops.reverse();
}

/** `diff -u` of two texts; the empty string when they are equal. */
export function unifiedDiff(oldText: string, newText: string, options: DiffOptions = {}): string {
  const ops = diffLines(splitLines(oldText), splitLines(newText));
  const hunks = groupHunks(ops, options.context ?? 3);
  if (hunks.length === 0) return '';
  const out = [`--- ${options.oldLabel ?? 'a'}\n`, `+++ ${options.newLabel ?? 'b'}\n`];
  for (const h of hunks) {
    out.push(`@@ -${range(h.oldStart, h.oldCount)} +${range(h.newStart, h.newCount)} @@\n`);
    for (const { op, line } of h.ops) {
      out.push(op + line);
      if (!line.endsWith('\n')) out.push('\n\\ No newline at end of file\n');
    }
  }
  return out.join('');
}

interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  ops: EditOp[];
}

/** Cuts the edit script into hunks: changes plus `context` kept lines, merging hunks whose context touches. */
function groupHunks(ops: EditOp[], context: number): Hunk[] {
  const changed = ops.map((o, i) => (o.op === ' ' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return [];
  const spans: [number, number][] = [];
  for (const i of changed) {
    const from = Math.max(0, i - context);
    const to = Math.min(ops.length, i + context + 1);
    const last = spans[spans.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else spans.push([from, to]);
  }
  // Line numbers before each op, so a hunk knows where it starts on both sides.
  const oldBefore: number[] = [];
  const newBefore: number[] = [];
  let o = 0;
  let n = 0;
  for (const op of ops) {
    oldBefore.push(o);
    newBefore.push(n);
    if (op.op !== '+') o++;
    if (op.op !== '-') n++;
  }
  return spans.map(([from, to]) => {
    const slice = ops.slice(from, to);
    return {
      oldStart: oldBefore[from],
      oldCount: slice.filter((x) => x.op !== '+').length,
      newStart: newBefore[from],
      newCount: slice.filter((x) => x.op !== '-').length,
      ops: slice,
    };
  });
}

/** GNU format: 1-based start, ",count" omitted when 1; an empty side names the line before it. */
function range(start0: number, count: number): string {
  if (count === 0) return `${start0},0`;
  return count === 1 ? `${start0 + 1}` : `${start0 + 1},${count}`;
}
