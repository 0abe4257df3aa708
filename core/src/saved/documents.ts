import { responseStatus } from '../client';
import { NotFoundError, UsageError } from '../errors';
import { LENIENT, type IndexScope } from '../history/scope';
import { sortedPage, type PageRequest, type SortedPage } from '../sorted-page';

/**
 * Documents kept by name (_id = name) in one index: saved searches and alert
 * rules. Writes refresh (these indices are small and rarely written) so a list
 * right after a change sees it.
 */
export interface NamedDocuments<T extends { name: string }> {
  /** A page by name (size default 100), from `cursor` (the previous page's `next`). */
  list(page?: PageRequest): Promise<SortedPage<T>>;
  get(name: string): Promise<T>;
  /** Fails with a UsageError when the name is taken. */
  create(doc: T): Promise<T>;
  put(doc: T): Promise<T>;
  remove(name: string): Promise<{ deleted: string }>;
}

/** Names double as document ids and URL segments: keep them to a safe alphabet. */
export function checkName(name: unknown, what: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(name)) {
    throw new UsageError(`${what} name "${String(name)}" is not valid: use letters, digits, "-", "_" or "." (at most 128)`);
  }
  return name;
}

/** The fields a patch actually sets: `{kind: undefined}` must not erase the stored kind. */
export function definedFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** `what` names the thing in messages ("saved search"); `cli` is the command that manages it ("mitra saved"). */
export function namedDocuments<T extends { name: string }>(scope: IndexScope, index: string, what: string, cli: string): NamedDocuments<T> {
  const notFound = (name: string) => new NotFoundError(`no ${what} named "${name}": list them with ${cli} list`);
  return {
    // Names are unique (they are the ids), so the name alone is a sort that pages exactly.
    list: (page = {}) =>
      sortedPage<T>(scope.client, { index, ...LENIENT, sort: [{ name: { order: 'asc' } }] }, page, {
        what: `${what} list`,
        kinds: ['string'],
        defaultSize: 100,
      }),
    async get(name) {
      const res = await scope.client.get<T>({ index, id: checkName(name, what) }, { ignore: [404] });
      if (!res.found || !res._source) throw notFound(name);
      return res._source;
    },
    async create(doc) {
      try {
        await scope.client.index({ index, id: doc.name, document: doc, op_type: 'create', refresh: true });
      } catch (e) {
        if (responseStatus(e) === 409) {
          throw new UsageError(`${what} "${doc.name}" already exists: update it (${cli} update) or delete it first`, { cause: e });
        }
        throw e;
      }
      return doc;
    },
    async put(doc) {
      await scope.client.index({ index, id: doc.name, document: doc, refresh: true });
      return doc;
    },
    async remove(name) {
      const res = await scope.client.delete({ index, id: checkName(name, what), refresh: true }, { ignore: [404] });
      if (res.result !== 'deleted') throw notFound(name);
      return { deleted: name };
    },
  };
}
