import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIELDS } from '@mitra/core';

/**
 * Checks mitra.ndjson against the saved-object types of Kibana 9.2, as read in
 * elastic/kibana: every line a JSON object with id/type/attributes/references
 * as an export writes them; `coreMigrationVersion` 8.8.0 (core's last
 * document-shape change); a `typeMigrationVersion` no newer than what 9.2
 * knows, so its import migrates the object up instead of refusing it:
 *  - `index-pattern` (src/platform/plugins/shared/data_views/server/saved_objects/data_views.ts):
 *    no model versions; last migration 7.11.0, converted to multi-namespace at
 *    8.0.0 → 8.0.0 is its latest version, in 9.2 as on the main line;
 *  - `search` (src/platform/plugins/shared/saved_search/server/saved_objects/search.ts):
 *    model versions (10.N.0 = model version N); 10.5.0 is what 8.17-era
 *    exports carry and every 9.x has it, and 9.x's later model versions move
 *    these attributes into a Discover tab on import (the tabs backfill reads
 *    exactly the attributes listed in TAB_ATTRIBUTES below);
 * the attributes each type's schema defines, references that resolve inside
 * the file, and queries that only name fields the Mitra schema defines.
 */

interface SavedObject {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  references: { id: string; name: string; type: string }[];
  coreMigrationVersion: string;
  typeMigrationVersion: string;
  managed?: boolean;
}

const TYPE_MIGRATION_VERSION: Record<string, string> = { 'index-pattern': '8.0.0', search: '10.5.0' };
/** data_views common types (DataViewAttributes): what an index-pattern object may carry. */
const DATA_VIEW_ATTRIBUTES = new Set([
  'title',
  'name',
  'type',
  'typeMeta',
  'timeFieldName',
  'fields',
  'fieldFormatMap',
  'fieldAttrs',
  'runtimeFieldMap',
  'sourceFilters',
  'allowNoIndex',
  'allowHidden',
]);
/**
 * saved_search server/saved_objects/schema.ts: a search's own title and
 * description, and the attributes a Discover tab holds (SCHEMA_TAB_ATTRIBUTES),
 * which the legacy search schema has at the top level.
 */
const SEARCH_ATTRIBUTES = new Set(['title', 'description']);
const TAB_ATTRIBUTES = new Set([
  'hideChart',
  'hideTable',
  'columns',
  'sort',
  'grid',
  'headerRowHeight',
  'rowHeight',
  'rowsPerPage',
  'sampleSize',
  'density',
  'breakdownField',
  'visContext',
  'chartInterval',
  'kibanaSavedObjectMeta',
  'isTextBasedQuery',
  'usesAdHocDataView',
  'controlGroupJson',
  'timeRestore',
  'timeRange',
  'refreshInterval',
  'viewMode',
  'hideAggregatedPreview',
]);
/** Attributes Kibana stores as JSON text, not objects, for each type. */
const JSON_TEXT_ATTRS: Record<string, string[]> = {
  'index-pattern': ['fields', 'fieldFormatMap', 'runtimeFieldMap', 'sourceFilters', 'fieldAttrs', 'typeMeta'],
  search: [],
};

const text = readFileSync(join(__dirname, 'mitra.ndjson'), 'utf8');
const objects: SavedObject[] = text
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

const knownFields = new Set<string>([...FIELDS.map((f) => f.name), 'hostname', 'filename', 'content']);
/** A field in a query or column is known if the schema has it or one of its parents (objects like mitra.packages). */
const isKnownField = (name: string) => [...knownFields].some((f) => f === name || name.startsWith(`${f}.`) || f.startsWith(`${name}.`));

describe('saved_objects/mitra.ndjson (Kibana 9.2 saved-object types)', () => {
  it('is one JSON object per line with the top-level keys an export writes', () => {
    expect(text.endsWith('\n')).toBe(true);
    for (const o of objects) {
      expect(Object.keys(o).sort()).toEqual([
        'attributes',
        'coreMigrationVersion',
        'id',
        'managed',
        'references',
        'type',
        'typeMigrationVersion',
      ]);
      expect(o.coreMigrationVersion).toBe('8.8.0');
      expect(o.typeMigrationVersion).toBe(TYPE_MIGRATION_VERSION[o.type]);
      expect(o.id).toMatch(/^[a-z0-9-]+$/);
    }
    expect(new Set(objects.map((o) => `${o.type}:${o.id}`)).size).toBe(objects.length);
  });

  it('carries only attributes its type defines in Kibana 9.2', () => {
    for (const o of objects) {
      const known = o.type === 'index-pattern' ? DATA_VIEW_ATTRIBUTES : new Set([...SEARCH_ATTRIBUTES, ...TAB_ATTRIBUTES]);
      expect([o.id, Object.keys(o.attributes).filter((k) => !known.has(k))]).toEqual([o.id, []]);
    }
  });

  it('has data views for the current state and the history indices', () => {
    const views = objects.filter((o) => o.type === 'index-pattern');
    expect(views.map((v) => v.attributes.title).sort()).toEqual(['mitra-current', 'mitra-history-*']);
    for (const v of views) {
      expect(typeof v.attributes.name).toBe('string');
      for (const key of JSON_TEXT_ATTRS['index-pattern']) expect(() => JSON.parse(String(v.attributes[key]))).not.toThrow();
      expect(v.references).toEqual([]);
    }
    // History is a time series; the current state is one doc per host+path, so a time filter would hide stale hosts.
    expect(views.find((v) => v.id === 'mitra-history')!.attributes.timeFieldName).toBe('@timestamp');
    expect(views.find((v) => v.id === 'mitra-current')!.attributes.timeFieldName).toBeUndefined();
  });

  const searches = objects.filter((o) => o.type === 'search');

  it('has a Discover search for each of the four original questions', () => {
    const queries = searches.map(
      (s) => JSON.parse(String((s.attributes.kibanaSavedObjectMeta as Record<string, unknown>).searchSourceJSON)).query,
    );
    expect(queries).toEqual(
      expect.arrayContaining([
        { language: 'kuery', query: 'file.path : "/proc/version" and mitra.kernel.major_minor : "4.4"' },
        { language: 'kuery', query: 'mitra.format : ("dpkg" or "rpm") and not mitra.package_names : "zsh"' },
        { language: 'kuery', query: 'file.path : "/etc/hosts" and file.size > 4096' },
        // The original Lucene query, verbatim: it works because of the hostname/filename/content aliases.
        { language: 'lucene', query: 'filename:"/etc/fstab" AND content:ext4' },
      ]),
    );
    expect(searches).toHaveLength(4);
  });

  it.each(searches.map((s) => [s.id, s] as const))('search %s has the attributes and references Discover loads', (_id, s) => {
    const a = s.attributes;
    expect(typeof a.title).toBe('string');
    expect(typeof a.description).toBe('string');
    expect(Array.isArray(a.columns) && (a.columns as unknown[]).length > 0).toBe(true);
    expect(Array.isArray(a.sort)).toBe(true);
    for (const [field, order] of a.sort as [string, string][]) {
      expect(isKnownField(field)).toBe(true);
      expect(['asc', 'desc']).toContain(order);
    }
    for (const column of a.columns as string[]) expect(isKnownField(column)).toBe(true);
    const source = JSON.parse(String((a.kibanaSavedObjectMeta as Record<string, unknown>).searchSourceJSON));
    expect(['kuery', 'lucene']).toContain(source.query.language);
    expect(Array.isArray(source.filter)).toBe(true);
    // 8.x stores the data view as a reference named by indexRefName, never an inline index id.
    expect(source.index).toBeUndefined();
    const ref = s.references.find((r) => r.name === source.indexRefName);
    expect(ref).toEqual({ id: 'mitra-current', name: 'kibanaSavedObjectMeta.searchSourceJSON.index', type: 'index-pattern' });
    expect(objects.some((o) => o.type === ref!.type && o.id === ref!.id)).toBe(true);
    // Every field the query names exists in the Mitra schema (a typo would silently match nothing).
    const fields = [...String(source.query.query).matchAll(/([A-Za-z_][A-Za-z0-9_.]*)\s*:/g)].map((m) => m[1]);
    expect(fields.length).toBeGreaterThan(0);
    for (const f of fields) expect([f, isKnownField(f) || f === 'name']).toEqual([f, true]);
  });
});
