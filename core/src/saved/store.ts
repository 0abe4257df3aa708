import { UsageError } from '../errors';
import type { IndexScope } from '../history/scope';
import { savedIndex } from '../names';
import type { PageRequest } from '../sorted-page';
import { checkName, definedFields, namedDocuments } from './documents';
import { checkParams, checkStoredParams, queryKind, runQuery } from './kinds';
import { substitute } from './params';

/** A named, parameterised query stored in `<prefix>saved-searches` (_id = name). */
export interface SavedSearch {
  name: string;
  description: string;
  kind: string;
  params: Record<string, unknown>;
  created: string;
  updated: string;
}

export interface SavedSearchInput {
  name: string;
  description?: string;
  kind: string;
  params: Record<string, unknown>;
}

const store = (scope: IndexScope) => namedDocuments<SavedSearch>(scope, savedIndex(scope.prefix), 'saved search', 'mitra saved');

/** A page of saved searches by name: `total`, `searches` and `next` (the `cursor` of the page after). */
export async function listSaved(scope: IndexScope, page: PageRequest = {}) {
  const { items, ...rest } = await store(scope).list(page);
  return { ...rest, searches: items };
}

export const getSaved = (scope: IndexScope, name: string): Promise<SavedSearch> => store(scope).get(name);

export async function createSaved(scope: IndexScope, input: SavedSearchInput, now = new Date()): Promise<SavedSearch> {
  const saved = validated(input, now.toISOString(), now.toISOString());
  await checkStoredParams(scope.client, scope.prefix, saved.kind, saved.params);
  return store(scope).create(saved);
}

/** Replaces description, kind or params; the name and creation time stay. */
export async function updateSaved(
  scope: IndexScope,
  name: string,
  patch: Partial<Omit<SavedSearchInput, 'name'>>,
  now = new Date(),
): Promise<SavedSearch> {
  const old = await getSaved(scope, name);
  const saved = validated({ ...old, ...definedFields(patch), name: old.name }, old.created, now.toISOString());
  await checkStoredParams(scope.client, scope.prefix, saved.kind, saved.params);
  return store(scope).put(saved);
}

export const deleteSaved = (scope: IndexScope, name: string): Promise<{ deleted: string }> => store(scope).remove(name);

export interface SavedRun {
  name: string;
  kind: string;
  /** The parameters after substitution: what actually ran. */
  params: Record<string, unknown>;
  result: unknown;
}

/** Runs a saved search with its `{{var}}` parameters filled from `vars`. */
export async function runSaved(scope: IndexScope, name: string, vars: Record<string, string> = {}): Promise<SavedRun> {
  const saved = await getSaved(scope, name);
  const params = substitute(saved.params, vars, `saved search "${name}"`);
  return { name, kind: saved.kind, params, result: await runQuery(scope.client, scope.prefix, saved.kind, params) };
}

function validated(input: SavedSearchInput, created: string, updated: string): SavedSearch {
  const name = checkName(input.name, 'saved search');
  queryKind(input.kind);
  const params = checkParams(input.kind, input.params ?? {});
  if (input.description !== undefined && typeof input.description !== 'string') throw new UsageError('description must be text');
  return { name, description: input.description ?? '', kind: input.kind, params, created, updated };
}
