import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIELDS_MD } from './gen-docs';
import { buildMappings, FIELDS, isDeclaredField, isMappedField, renderFieldDocs, type FieldSpec } from './schema';

type Mapping = Record<string, unknown>;
const specs = FIELDS as readonly FieldSpec[];
const mappings = buildMappings();

/** The mapping of a dotted field name, walking `properties`. */
function mappingOf(name: string): Mapping | undefined {
  let node: Mapping | undefined = mappings;
  for (const part of name.split('.')) node = (node?.properties as Mapping | undefined)?.[part] as Mapping | undefined;
  return node;
}

test('core/FIELDS.md is generated from the current schema', () => {
  const stale = !existsSync(FIELDS_MD) || readFileSync(FIELDS_MD, 'utf8') !== renderFieldDocs();
  if (stale) throw new Error('core/FIELDS.md is stale: run `npm run build && npm run docs -w core` and commit it');
});

test('FIELDS.md lists every field once', () => {
  const doc = renderFieldDocs();
  for (const f of specs) expect(doc.split('\n').filter((l) => l.startsWith(`| \`${f.name}\` |`))).toHaveLength(1);
});

test('every field is declared once, with a description', () => {
  const names = specs.map((f) => f.name);
  expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  expect(specs.filter((f) => f.description.trim().length < 5).map((f) => f.name)).toEqual([]);
});

test('the root mapping is closed: only declared fields are indexed', () => {
  expect(mappings.dynamic).toBe(false);
});

const indexed = specs.filter((f) => f.indexed !== false);
const sourceOnly = specs.filter((f) => f.indexed === false);

test('every indexed field is mapped with its type', () => {
  const mapped = (f: FieldSpec) => (f.type === 'data' ? 'object' : f.type);
  for (const f of indexed) expect({ name: f.name, type: mappingOf(f.name)?.type }).toEqual({ name: f.name, type: mapped(f) });
});

test('a field kept in _source only is absent from the closed mapping, and so are its sub-fields', () => {
  expect(sourceOnly.length).toBeGreaterThan(20);
  for (const f of sourceOnly) {
    expect({ name: f.name, mapping: mappingOf(f.name) }).toEqual({ name: f.name, mapping: undefined });
    expect({ name: f.name, mapped: isMappedField(f.name), declared: isDeclaredField(f.name) }).toEqual({
      name: f.name,
      mapped: false,
      declared: true,
    });
  }
  // A sub-field under a _source-only parent is _source-only too (a nested list without its nested mapping would flatten).
  for (const f of indexed)
    expect({ name: f.name, parentSourceOnly: sourceOnly.some((p) => f.name.startsWith(`${p.name}.`)) }).toEqual({
      name: f.name,
      parentSourceOnly: false,
    });
});

test('aliases point at existing, non-alias fields (the original Mitra names)', () => {
  const aliases = specs.filter((f) => f.type === 'alias');
  expect(aliases.map((a) => a.name).sort()).toEqual(['content', 'filename', 'hostname']);
  for (const a of aliases) {
    const target = mappingOf(a.path!);
    expect({ alias: a.name, path: mappingOf(a.name)?.path }).toEqual({ alias: a.name, path: a.path });
    expect({ alias: a.name, target: target?.type }).toEqual({ alias: a.name, target: specs.find((f) => f.name === a.path)?.type });
    expect(target?.type).not.toBe('alias');
  }
});

test('list-like fields are nested, with their sub-fields inside; the lists no question reads are data', () => {
  const nested = specs.filter((f) => f.type === 'nested').map((f) => f.name);
  expect(nested).toEqual(expect.arrayContaining(['mitra.settings', 'mitra.fstab', 'mitra.hosts', 'mitra.limits']));
  expect(mappingOf('mitra.settings')?.type).toBe('nested');
  expect(mappingOf('mitra.settings.value')?.type).toBe('keyword');
  for (const list of ['mitra.fstab', 'mitra.hosts', 'mitra.limits'])
    expect({ list, mapping: mappingOf(list) }).toEqual({ list, mapping: undefined });
});

test('a package inventory is flat keywords plus data: one Lucene document, not one per package', () => {
  expect(mappingOf('mitra.packages')).toEqual({ type: 'object', enabled: false });
  expect(mappingOf('mitra.packages.name')).toBeUndefined();
  expect(mappingOf('mitra.package_names')?.type).toBe('keyword');
  expect(mappingOf('mitra.package_versions')?.type).toBe('keyword');
});

test('the /proc maps are kept in _source only: declared keys, no field, so no document can add fields', () => {
  expect(mappings.dynamic_templates).toEqual([]);
  const maps = specs.filter((f) => f.leaves);
  expect(maps.map((m) => m.name)).toEqual(['mitra.meminfo', 'mitra.vmstat', 'mitra.zoneinfo', 'mitra.buddyinfo']);
  for (const m of maps) {
    expect({ name: m.name, mapping: mappingOf(m.name), indexed: m.indexed }).toEqual({ name: m.name, mapping: undefined, indexed: false });
    expect(m.keys?.length).toBeGreaterThan(0);
  }
  expect(mappingOf('mitra.loadavg')).toBeUndefined();
  // The parent that holds them is closed, so an unmapped map is never mapped dynamically.
  expect(mappingOf('mitra')?.dynamic).toBe(false);
});

test('every object in the mapping is closed', () => {
  const open: string[] = [];
  const walk = (node: Mapping, path: string) => {
    if (node.properties && node.type !== 'nested' && node.dynamic !== false) open.push(path);
    for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, Mapping>)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(mappings, '');
  expect(open).toEqual([]);
});

test('the whole mapping fits under the default 1000-field limit, so an index made without Mitra settings takes it', () => {
  let count = 0;
  const walk = (node: Mapping) => {
    for (const child of Object.values((node.properties ?? {}) as Record<string, Mapping>)) {
      count += 1 + Object.keys((child.fields ?? {}) as Mapping).length;
      walk(child);
    }
  };
  walk(mappings);
  expect(count).toBeLessThan(1000);
});

test('isDeclaredField: declared fields and declared /proc keys; isMappedField: only the indexed ones', () => {
  const sourceKeys = [
    'mitra.meminfo.MemTotal',
    'mitra.meminfo.Active(anon)',
    'mitra.vmstat.pgscank',
    'mitra.zoneinfo.node0.normal.free',
    'mitra.buddyinfo.node1.dma32.order10',
    'mitra.loadavg.load1',
    'mitra.hosts.ip',
  ];
  for (const f of ['host.name', 'mitra.settings.key', 'mitra.package_names', ...sourceKeys])
    expect({ f, declared: isDeclaredField(f) }).toEqual({ f, declared: true });
  for (const f of ['host.name', 'mitra.settings.key', 'mitra.package_names'])
    expect({ f, mapped: isMappedField(f) }).toEqual({ f, mapped: true });
  for (const f of sourceKeys) expect({ f, mapped: isMappedField(f) }).toEqual({ f, mapped: false });
  for (const f of [
    'mitra.meminfo.Junk42',
    'mitra.zoneinfo.node9.normal.free',
    'mitra.buddyinfo.node0.normal.order11',
    'mitra.nothing',
    'mitra.meminfo.',
  ]) {
    expect({ f, declared: isDeclaredField(f), mapped: isMappedField(f) }).toEqual({ f, declared: false, mapped: false });
  }
});

/**
 * Where queries are built: every schema field named there must be indexed, or the
 * question silently matches nothing. The _source readers (history --series, the
 * incident replay) are not in this list: they read one host's documents.
 */
const QUERY_SOURCES = [
  'core/src/fleet',
  'core/src/questions',
  'core/src/alerts',
  'core/src/saved',
  'core/src/history/versions.ts',
  'core/src/history/compare.ts',
  'core/src/history/diff.ts',
  'core/src/history/supersede.ts',
  'kibana-plugin/saved_objects/mitra.ndjson',
];
const ROOT = join(__dirname, '..', '..');

function sourceFiles(path: string): string[] {
  const full = join(ROOT, path);
  if (!readdirSync(join(full, '..')).includes(path.split('/').pop()!)) throw new Error(`${path} is gone: update QUERY_SOURCES`);
  if (/\.(ts|ndjson)$/.test(path)) return [full];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(full, f));
}

/** Schema field names quoted in a file (a kuery/Lucene string in the saved objects counts: `mitra.kernel.major_minor : ...`). */
function fieldsNamedIn(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/(?<![\w.])((?:mitra|file|host)\.[A-Za-z0-9_.()]*[A-Za-z0-9_)])/g))
    if (isDeclaredField(m[1])) names.add(m[1]);
  return [...names].sort();
}

test('every field a fleet question, alert, saved search or history listing filters, sorts or aggregates on is indexed', () => {
  const named = new Map<string, string>();
  for (const file of QUERY_SOURCES.flatMap(sourceFiles)) for (const f of fieldsNamedIn(readFileSync(file, 'utf8'))) named.set(f, file);
  // The questions' own fields are found (the scan sees the query code, not nothing).
  for (const f of [
    'mitra.kernel.major_minor',
    'mitra.os.pretty_name',
    'mitra.package_names',
    'mitra.package_versions',
    'mitra.settings.value',
    'file.hash.sha256',
    'mitra.ingested_at',
    'mitra.package_count',
  ])
    expect({ f, named: named.has(f) }).toEqual({ f, named: true });
  const unindexed = [...named].filter(([f]) => !isMappedField(f)).map(([f, file]) => `${f} (${file.slice(ROOT.length + 1)})`);
  expect(unindexed).toEqual([]);
  // The check catches a _source-only field named in query code.
  expect(fieldsNamedIn("term('mitra.fstab.fstype', 'xfs')").filter((f) => !isMappedField(f))).toEqual(['mitra.fstab.fstype']);
});
