import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * No import cycle between core's folders: each folder (fleet/, history/, ...)
 * and each file at the top of src/ is one node; a relative import from one
 * node into another is an edge. Tests are left out (they may reach anywhere).
 * A cycle means two concerns cannot be read or changed apart: move the shared
 * piece to a neutral module both import.
 */
const SRC = __dirname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The node a file belongs to: its top-level folder, or the file itself at the top of src/. */
const nodeOf = (file: string): string => {
  const rel = relative(SRC, file).split(sep);
  return rel.length > 1 ? `${rel[0]}/` : rel[0].replace(/\.tsx?$/, '');
};

const IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']*)'/g;

export function folderGraph(root = SRC): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sources(root)) {
    const from = nodeOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = nodeOf(resolve(dirname(file), m[1]));
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Every cycle's members (strongly connected components of more than one node), by Tarjan's algorithm. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const members: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      members.push(w);
      if (w === v) break;
    }
    if (members.length > 1) found.push(members.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

test('the cycle finder sees a loop between two folders and none in a chain', () => {
  const g = (edges: [string, string][]) => {
    const m = new Map<string, Set<string>>();
    for (const [a, b] of edges) m.set(a, (m.get(a) ?? new Set()).add(b));
    return m;
  };
  expect(
    cycles(
      g([
        ['fleet/', 'history/'],
        ['history/', 'fleet/'],
        ['history/', 'errors'],
      ]),
    ),
  ).toEqual([['fleet/', 'history/']]);
  expect(
    cycles(
      g([
        ['api/', 'fleet/'],
        ['fleet/', 'errors'],
      ]),
    ),
  ).toEqual([]);
});

test('the graph reads real imports (fleet/ depends on errors)', () => {
  expect(folderGraph().get('fleet/')?.has('errors')).toBe(true);
});

test('no import cycle between core folders', () => {
  expect(cycles(folderGraph())).toEqual([]);
});
