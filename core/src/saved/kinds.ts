import type { MitraClient } from '../client';
import { z } from 'zod';
import { UsageError } from '../errors';
import { QUESTIONS, type Catalog, type Question } from '../questions';
import { fieldsSpelled } from '../questions/derive';
import { check, type Namer } from '../shapes/check';
import { fieldInfo, withInfo } from '../shapes/fields';

/**
 * The queries a saved search or an alert rule can run, by kind: each declares
 * the parameters it takes (a zod shape), runs one of the fleet functions, and
 * says which hosts matched (what alert conditions look at).
 */
export interface QueryKind {
  description: string;
  /** The declared parameters: a strict object shape (unknown parameters are refused). */
  shape: z.ZodObject<z.ZodRawShape, 'strict'>;
  /** Parameter names, from the shape. */
  params: readonly string[];
  /** The parameters that must be given, from the shape. */
  required: readonly string[];
  run(client: MitraClient, prefix: string, params: Record<string, unknown>): Promise<unknown>;
  /** How many things matched and on which hosts. */
  matches(result: unknown): { count: number; hosts: string[] };
  /** The question's check of parameters about to be stored (Question.checkStored). */
  checkStored?: Question['checkStored'];
}

const PLACEHOLDER = /\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/;

/**
 * A parameter value: its own shape, or text holding a `{{var}}` placeholder,
 * which is checked against the shape once `run` fills it in.
 */
function param<T extends z.ZodTypeAny>(shape: T) {
  const info = fieldInfo(shape);
  const wrapped = z.unknown().transform((v, ctx) => {
    if (typeof v === 'string' && PLACEHOLDER.test(v)) return v as z.output<T>;
    const res = shape.safeParse(v);
    if (res.success) return res.data as z.output<T>;
    for (const issue of res.error.issues) ctx.addIssue(issue as z.IssueData);
    return z.NEVER;
  });
  return info ? withInfo(wrapped, info) : wrapped;
}

function kind(
  description: string,
  fields: z.ZodRawShape,
  run: QueryKind['run'],
  matches: QueryKind['matches'],
  checkStored?: QueryKind['checkStored'],
): QueryKind {
  const shape = z
    .object(Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.isOptional() ? param(f).optional() : param(f)])))
    .strict();
  return {
    description,
    shape,
    params: Object.keys(fields),
    required: Object.entries(fields)
      .filter(([, f]) => !f.isOptional())
      .map(([k]) => k),
    run,
    matches,
    ...(checkStored ? { checkStored } : {}),
  };
}

/** A kind per catalog question, with the question's parameters (and size + cursor when it pages). */
export function kindsOf(catalog: Catalog): Record<string, QueryKind> {
  return Object.fromEntries(
    catalog.map(
      (q) =>
        [
          q.kind,
          kind(
            q.title,
            fieldsSpelled(q, (n) => n),
            q.runForMatches ?? q.run,
            (r) => (q.runForMatches ? (r as { count: number; hosts: string[] }) : q.matches(r)),
            q.checkStored,
          ),
        ] as const,
    ),
  );
}

export const QUERY_KINDS: Record<string, QueryKind> = kindsOf(QUESTIONS);

/** A kind by name, with a message listing the kinds when it is unknown. */
export function queryKind(kind: string, kinds: Record<string, QueryKind> = QUERY_KINDS): QueryKind {
  const k = typeof kind === 'string' && Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
  if (!k) throw new UsageError(`kind ${JSON.stringify(kind)} is not a query kind: use one of ${Object.keys(kinds).join(', ')}`);
  return k;
}

const paramName: Namer = (path) => (path.length ? `parameter ${path.join('.')}` : 'params');

/**
 * Checks params against the kind's declared shape before anything is stored
 * or run, and gives them back as given (`{{var}}` placeholders stay for run).
 */
export function checkParams(kind: string, params: unknown): Record<string, unknown> {
  const k = queryKind(kind);
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new UsageError(`params must be an object of ${kind} parameters (${k.params.join(', ')})`);
  }
  const p = params as Record<string, unknown>;
  const unknown = Object.keys(p).find((key) => !k.params.includes(key));
  if (unknown !== undefined) throw new UsageError(`parameter ${unknown} is not a ${kind} parameter: use ${k.params.join(', ')}`);
  const missing = k.required.find((key) => p[key] === undefined || p[key] === '');
  if (missing !== undefined) {
    const example = fieldInfo(k.shape.shape[missing])?.example;
    throw new UsageError(`a ${kind} query needs parameter ${missing}${example ? `, e.g. ${example}` : ''}`);
  }
  check(k.shape, p, paramName);
  return p;
}

/**
 * The engine's check of parameters checked by checkParams and about to be
 * stored: a query that would fail every run is refused now. With a {{var}}
 * still in them they are checked when run, once it is filled in.
 */
export async function checkStoredParams(client: MitraClient, prefix: string, kind: string, params: Record<string, unknown>): Promise<void> {
  const k = queryKind(kind);
  if (!k.checkStored || Object.values(params).some((v) => typeof v === 'string' && PLACEHOLDER.test(v))) return;
  await k.checkStored(client, prefix, params);
}

/** Runs a query of a kind with concrete (substituted) parameters, parsed by the kind's shape. */
export async function runQuery(client: MitraClient, prefix: string, kind: string, params: Record<string, unknown>): Promise<unknown> {
  checkParams(kind, params);
  return queryKind(kind).run(client, prefix, check(queryKind(kind).shape, params, paramName) as Record<string, unknown>);
}
