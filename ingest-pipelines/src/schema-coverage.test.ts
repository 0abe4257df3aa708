import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIELDS, type FieldSpec } from '@mitra/core';
import { FIXTURES_DIR } from './assets';

/**
 * The snapshot mapping is `dynamic: false`: a field a parser emits that the
 * schema (core/src/schema.ts) does not declare is stored but silently
 * unsearchable. Every field of every fixture's expected output must therefore
 * be declared, or be a key of a /proc map whose schema entry says, with
 * `otherKeys: 'source-only'`, that undeclared keys are kept as data on purpose,
 * or sit under a field declared `type: 'data'` (kept whole in `_source`) or
 * `type: 'join'` (the host join's {name, parent} is one field).
 */

type Json = Record<string, unknown>;
const specs = FIELDS as readonly FieldSpec[];
const byName = new Map(specs.map((s) => [s.name, s]));

/** Every leaf path of a document: arrays (nested lists, keyword lists) add no path segment. */
function leafPaths(node: unknown, path: string): string[] {
  const spec = byName.get(path);
  // A join's value is the relation, or {name, parent}: one field, whatever its shape.
  if (spec?.type === 'data' || spec?.type === 'join') return [path];
  if (spec?.keys) return mapKeys(node, '').map((k) => `${path}\u0000${k}`);
  if (Array.isArray(node)) return node.flatMap((n) => leafPaths(n, path));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => leafPaths(v, path ? `${path}.${k}` : k));
  return [path];
}

/** The dotted keys under a /proc map (`node0.normal.free`). */
function mapKeys(node: unknown, prefix: string): string[] {
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    return Object.entries(node).flatMap(([k, v]) => mapKeys(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

/** Why a leaf is fine, or undefined when it is not declared. */
function declared(leaf: string): 'field' | 'map key' | 'kept as data' | undefined {
  const [path, key] = leaf.split('\u0000');
  const spec = byName.get(path);
  if (!spec) return undefined;
  if (spec.type === 'data') return 'kept as data';
  if (key === undefined) return spec.type === 'object' || spec.type === 'nested' ? undefined : 'field';
  if (spec.keys!.includes(key)) return 'map key';
  return spec.otherKeys === 'source-only' ? 'kept as data' : undefined;
}

function expectedSources(): { name: string; source: Json }[] {
  return readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(FIXTURES_DIR, d.name))
        .filter((f) => f.endsWith('.expected.json'))
        .map((f) => ({ name: `${d.name}/${f}`, doc: JSON.parse(readFileSync(join(FIXTURES_DIR, d.name, f), 'utf8')) as Json })),
    )
    .filter(({ doc }) => '_source' in doc)
    .map(({ name, doc }) => ({ name, source: doc._source as Json }));
}

const sources = expectedSources();

test('every field of every parser fixture output is declared in the schema', () => {
  expect(sources.length).toBeGreaterThan(30);
  const undeclared = sources.flatMap(({ name, source }) =>
    leafPaths(source, '')
      .filter((leaf) => declared(leaf) === undefined)
      .map((leaf) => `${name}: ${leaf.replace('\u0000', '.')}`),
  );
  expect(undeclared).toEqual([]);
});

test('every parsed family appears in some fixture (the check above sees real parser output)', () => {
  const leaves = new Set(sources.flatMap(({ source }) => leafPaths(source, '').map((l) => l.split('\u0000')[0])));
  for (const field of [
    'mitra.kernel.release',
    'mitra.meminfo',
    'mitra.vmstat',
    'mitra.zoneinfo',
    'mitra.buddyinfo',
    'mitra.loadavg.load1',
  ]) {
    expect(leaves.has(field)).toBe(true);
  }
  for (const field of ['mitra.settings.key', 'mitra.os.id', 'mitra.fstab.options', 'mitra.hosts.names', 'mitra.resolv.nameservers']) {
    expect(leaves.has(field)).toBe(true);
  }
  for (const field of [
    'mitra.limits.item',
    'mitra.packages',
    'mitra.package_names',
    'mitra.package_versions',
    'mitra.package_count',
    'mitra.error.tag',
  ])
    expect(leaves.has(field)).toBe(true);
});

test('keys kept as data are marked in the schema, not skipped: a map without the mark fails the check', () => {
  // Real kernels print keys the mapping leaves out on purpose (nodes above node3, rare counters): each map says so.
  for (const spec of specs.filter((s) => s.keys))
    expect({ name: spec.name, otherKeys: spec.otherKeys }).toEqual({ name: spec.name, otherKeys: 'source-only' });
  // Without the mark the same leaves would be undeclared.
  const meminfo = byName.get('mitra.meminfo')!;
  const unmarked = { ...meminfo, otherKeys: undefined };
  byName.set('mitra.meminfo', unmarked);
  try {
    expect(declared('mitra.meminfo\u0000NotAKernelKey')).toBeUndefined();
    expect(declared('mitra.meminfo\u0000MemTotal')).toBe('map key');
  } finally {
    byName.set('mitra.meminfo', meminfo);
  }
  expect(declared('mitra.meminfo\u0000NotAKernelKey')).toBe('kept as data');
  // A parser emitting a field the schema lacks is caught, as a leaf of a real document would be.
  const planted = leafPaths({ mitra: { loadavg: { load1: 1, load2: 2 }, fstab: [{ device: 'x', flags: ['y'] }] } }, '');
  expect(planted.filter((l) => declared(l) === undefined)).toEqual(['mitra.loadavg.load2', 'mitra.fstab.flags']);
  expect(declared('mitra.loadavg.load2')).toBeUndefined();
  expect(declared('mitra.loadavg')).toBeUndefined();
});
