import { z } from 'zod';
import { UsageError } from '../errors';
import { fieldInfo } from './fields';

/**
 * How a field is called where the user typed it: `parameter page` (query
 * string), `field params.query` (JSON body), `--larger-than` (CLI flag),
 * `MITRA_ES_TIMEOUT_MS` (environment).
 */
export type Namer = (path: (string | number)[]) => string;

export const queryParam: Namer = (path) => `parameter ${path.join('.')}`;
export const bodyField: Namer = (path) => (path.length ? `field ${path.map(String).join('.')}` : 'request body');
export const cliFlag: Namer = (path) => (path[0] === '_' ? 'argument' : `--${String(path[0])}`);

/** Parses `input` against a declared shape; the first problem becomes one UsageError line naming the field. */
export function check<S extends z.ZodTypeAny>(shape: S, input: unknown, name: Namer): z.output<S> {
  const res = shape.safeParse(input);
  if (res.success) return res.data as z.output<S>;
  throw new UsageError(describeIssue(res.error.issues[0], input, name, shape));
}

/** One line for one zod issue: the field, the value given (short), and what is accepted. */
export function describeIssue(issue: z.ZodIssue, input: unknown, name: Namer, root: z.ZodTypeAny): string {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(root, path);
    const key = issue.keys[0];
    return `${name([...path, key])} is not known${known ? `: use ${known}` : ''}`;
  }
  const label = name(path);
  const value = valueAt(input, path);
  if (issue.code === 'invalid_type' && value === undefined) {
    const info = fieldAt(root, path);
    return `${label} is required${info ? `, e.g. ${info.example}` : ''}`;
  }
  if (issue.code === 'invalid_type') return `${label} must be ${expected(issue.expected)}, not ${shown(value).trim()}`;
  if (issue.code === 'invalid_union_discriminator') return `${label} ${shown(value)}is not known: use one of ${issue.options.join(', ')}`;
  if (issue.code === 'custom' || issue.code === 'too_big' || issue.code === 'too_small' || issue.code === 'invalid_string')
    return `${label} ${shown(value)}${issue.message}`;
  return `${label} ${shown(value)}is not valid: ${issue.message}`;
}

function expected(type: string): string {
  if (type === 'object') return 'an object';
  if (type === 'array') return 'a list';
  if (type === 'string') return 'text';
  if (type === 'boolean') return 'true or false';
  return `a ${type}`;
}

/** The offending value, quoted and cut short, so a 100 KB value still makes one short line. */
function shown(value: unknown): string {
  if (value === undefined) return '';
  let s: string;
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    // Too deep for JSON.stringify; String() recurses into nested lists too, so those are only named.
    s = Array.isArray(value) ? '[…]' : String(value);
  }
  if (s.length > 60) s = `${s.slice(0, 57)}…${s.startsWith('"') ? '"' : ''}`;
  return `${s} `;
}

function valueAt(input: unknown, path: (string | number)[]): unknown {
  let cur = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** The object shape at `path`, looking through wrappers. */
function objectAt(root: z.ZodTypeAny, path: (string | number)[]): z.ZodObject<z.ZodRawShape> | undefined {
  let s: z.ZodTypeAny | undefined = unwrapAll(root);
  for (const key of path) {
    if (!(s instanceof z.ZodObject)) return undefined;
    s = unwrapAll((s.shape as z.ZodRawShape)[key]);
  }
  return s instanceof z.ZodObject ? s : undefined;
}

function fieldAt(root: z.ZodTypeAny, path: (string | number)[]) {
  const parent = objectAt(root, path.slice(0, -1));
  const field = parent?.shape[String(path[path.length - 1])] as z.ZodTypeAny | undefined;
  return field ? fieldInfo(field) : undefined;
}

function knownKeys(root: z.ZodTypeAny, path: (string | number)[]): string | undefined {
  const obj = objectAt(root, path);
  return obj ? Object.keys(obj.shape).join(', ') : undefined;
}

export function unwrapAll(s: z.ZodTypeAny | undefined): z.ZodTypeAny | undefined {
  for (let i = 0; s && i < 8; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodTypeAny;
    else if (s instanceof z.ZodDefault) s = s.removeDefault() as z.ZodTypeAny;
    else if (s instanceof z.ZodEffects) s = s.innerType() as z.ZodTypeAny;
    else if (s instanceof z.ZodPipeline) s = s._def.in as z.ZodTypeAny;
    else return s;
  }
  return s;
}
