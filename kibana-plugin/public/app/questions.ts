import type { Form, ParamInfo, QuestionInfo } from '@mitra/core';
import type { QueryParams } from '../api';

/**
 * The Fleet screen's questions come from the question catalog
 * (GET /api/mitra/questions, core/src/questions): each picker entry is a
 * form of one catalog question, with one main input (`value`) and sometimes a
 * second (`extra`). Pure functions turn a question into an API request, into
 * a saved-search definition and back; none knows any particular question.
 * The inputs themselves are checked by the server, with the declared shapes.
 */
export interface Catalog {
  questions: QuestionInfo[];
}

export interface Question {
  /** The form's id (kernel, lucene, ...). */
  type: string;
  value: string;
  extra?: string;
}

/** One picker entry: the form, its question and the parameters its fields fill. */
export interface FormSpec {
  form: Form;
  question: QuestionInfo;
  value: ParamInfo;
  extra?: ParamInfo;
}

export function formSpecs(catalog: Catalog): FormSpec[] {
  return catalog.questions.flatMap((question) =>
    question.forms.flatMap((form) => {
      const [value, extra] = form.params.map((n) => question.params.find((p) => p.name === n));
      return value ? [{ form, question, value, ...(extra ? { extra } : {}) }] : [];
    }),
  );
}

export const formSpec = (catalog: Catalog, type: string): FormSpec | undefined => formSpecs(catalog).find((s) => s.form.id === type);

/** A field's placeholder: its example, and whether it may stay empty. */
export const placeholder = (p: ParamInfo, defaults: Record<string, string> = {}): string =>
  `${p.example}${defaults[p.name] ? ` (default ${defaults[p.name]})` : p.required ? '' : ' (optional)'}`;

/** Question types look like form ids; anything else in a URL is ignored. */
export const isQuestionType = (t: string): boolean => /^[a-z][a-z0-9_]{0,63}$/.test(t);

export interface ApiRequest {
  /** Path under /api/mitra. */
  path: string;
  query: QueryParams;
  /** Whether the route pages on the server (size, cursor) or answers everything at once. */
  serverPaged: boolean;
}

export type Built = { ok: true; request: ApiRequest } | { ok: false; error: string };

/** The form's parameters by their declared names (the extra one only when given or defaulted). */
function paramsOf(spec: FormSpec, q: Question): Record<string, string> {
  const out: Record<string, string> = { [spec.value.name]: q.value.trim() };
  const extra = q.extra?.trim() || (spec.extra ? spec.form.defaults?.[spec.extra.name] : undefined);
  if (spec.extra && extra) out[spec.extra.name] = extra;
  return out;
}

/** The API request for a question (one page of `size` from `cursor` when the question pages), or what is missing. */
export function buildRequest(catalog: Catalog, q: Question, size = 50, cursor?: string): Built {
  const spec = formSpec(catalog, q.type);
  if (!spec) return { ok: false, error: `"${q.type}" is not a question here: choose one from the list` };
  if (!q.value.trim()) return { ok: false, error: `enter a value for "${spec.value.label}", e.g. ${spec.value.example}` };
  const byApiName = Object.fromEntries(
    Object.entries(paramsOf(spec, q)).map(([name, v]) => [spec.question.params.find((p) => p.name === name)!.api, v]),
  );
  const paging = spec.question.paged ? { size, ...(cursor ? { cursor } : {}) } : {};
  return { ok: true, request: { path: `/${spec.question.id}`, query: { ...byApiName, ...paging }, serverPaged: spec.question.paged } };
}

/** A saved search (the catalog's kinds and parameter names) that asks the same question. */
export function toSavedQuery(catalog: Catalog, q: Question): { kind: string; params: Record<string, string> } {
  const spec = formSpec(catalog, q.type);
  if (!spec) throw new Error(`"${q.type}" is not a question here`);
  return { kind: spec.question.kind, params: paramsOf(spec, q) };
}

const PAGING = ['size', 'cursor'];

/** The Fleet question a saved search asks, when a form asks it (undefined for combinations no form has). */
export function fromSavedQuery(catalog: Catalog, kind: string, params: Record<string, unknown>): Question | undefined {
  const p = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const given = Object.keys(p).filter((k) => !PAGING.includes(k));
  const spec = formSpecs(catalog).find(
    (s) =>
      s.question.kind === kind &&
      p[s.value.name] &&
      given.every((k) => (s.form.params as string[]).includes(k)) &&
      (!s.extra || !s.form.defaults?.[s.extra.name] || p[s.extra.name]),
  );
  if (!spec) return undefined;
  const extra = spec.extra ? p[spec.extra.name] : undefined;
  return { type: spec.form.id, value: p[spec.value.name], ...(extra ? { extra } : {}) };
}

/** The question in words, for titles and saved-search descriptions. */
export function describeQuestion(catalog: Catalog, q: Question): string {
  const spec = formSpec(catalog, q.type);
  if (!spec) return `${q.type} ${q.value}`;
  return `${spec.form.label} ${q.value}${q.extra && spec.extra ? ` (${spec.extra.label.toLowerCase()} ${q.extra})` : ''}`;
}
