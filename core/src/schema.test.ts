import { existsSync, readFileSync } from 'node:fs';
import { FIELDS_MD } from './gen-docs';
import { buildMappings, FIELDS, isMappedField, renderFieldDocs, type FieldSpec } from './schema';

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

test('every declared field is mapped with its type', () => {
  const mapped = (f: FieldSpec) => (f.type === 'data' ? 'object' : f.type);
  for (const f of specs) expect({ name: f.name, type: mappingOf(f.name)?.type }).toEqual({ name: f.name, type: mapped(f) });
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

test('list-like fields are nested, with their sub-fields inside', () => {
  const nested = specs.filter((f) => f.type === 'nested').map((f) => f.name);
  expect(nested).toEqual(expect.arrayContaining(['mitra.settings', 'mitra.fstab', 'mitra.hosts', 'mitra.limits']));
  expect(mappingOf('mitra.settings.value')?.type).toBe('keyword');
});

test('a package inventory is flat keywords plus data: one Lucene document, not one per package', () => {
  expect(mappingOf('mitra.packages')).toEqual({ type: 'object', enabled: false });
  expect(mappingOf('mitra.packages.name')).toBeUndefined();
  expect(mappingOf('mitra.package_names')?.type).toBe('keyword');
  expect(mappingOf('mitra.package_versions')?.type).toBe('keyword');
});

test('the /proc maps are closed: only their declared keys are mapped, so no document can add fields', () => {
  expect(mappings.dynamic_templates).toEqual([]);
  const maps = specs.filter((f) => f.leaves);
  expect(maps.map((m) => m.name)).toEqual(['mitra.meminfo', 'mitra.vmstat', 'mitra.zoneinfo', 'mitra.buddyinfo']);
  for (const m of maps) {
    expect({ name: m.name, dynamic: mappingOf(m.name)?.dynamic }).toEqual({ name: m.name, dynamic: false });
    expect(m.keys?.length).toBeGreaterThan(0);
    for (const key of m.keys!) expect({ key, type: mappingOf(`${m.name}.${key}`)?.type }).toEqual({ key, type: m.leaves });
  }
  // The intermediate objects (zoneinfo.node0, zoneinfo.node0.normal) are closed too.
  expect(mappingOf('mitra.zoneinfo.node0')?.dynamic).toBe(false);
  expect(mappingOf('mitra.buddyinfo.node3.normal')?.dynamic).toBe(false);
  expect(mappingOf('mitra.meminfo.Junk')).toBeUndefined();
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

test('isMappedField: declared fields and declared /proc keys only', () => {
  for (const f of [
    'host.name',
    'mitra.meminfo.MemTotal',
    'mitra.meminfo.Active(anon)',
    'mitra.vmstat.pgscank',
    'mitra.zoneinfo.node0.normal.free',
    'mitra.buddyinfo.node1.dma32.order10',
    'mitra.loadavg.load1',
  ]) {
    expect({ f, mapped: isMappedField(f) }).toEqual({ f, mapped: true });
  }
  for (const f of [
    'mitra.meminfo.Junk42',
    'mitra.zoneinfo.node9.normal.free',
    'mitra.buddyinfo.node0.normal.order11',
    'mitra.nothing',
    'mitra.meminfo.',
  ]) {
    expect({ f, mapped: isMappedField(f) }).toEqual({ f, mapped: false });
  }
});
