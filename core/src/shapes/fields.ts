import { z } from 'zod';
import { parseDuration, parseSize, parseTime } from '../parse';

/**
 * Field builders for the declared input shapes (API query strings, JSON
 * bodies, CLI flags, environment). Each field says what it accepts in words
 * (the `range`, used in error messages and help) and carries an example; the
 * fuzz test walks these to generate bad inputs and a valid baseline.
 */
export type FieldKind = 'text' | 'int' | 'time' | 'size' | 'duration' | 'enum' | 'flag' | 'list';

export interface FieldInfo {
  kind: FieldKind;
  /** What is accepted, in words: "a whole number from 1 to 1000". */
  range: string;
  /** A valid value, as typed. */
  example: string;
  min?: number;
  max?: number;
  values?: readonly string[];
}

const INFO = new WeakMap<z.ZodTypeAny, FieldInfo>();

/** Attaches what a field accepts (its FieldInfo) to a schema built around it. */
export function withInfo<T extends z.ZodTypeAny>(schema: T, info: FieldInfo): T {
  INFO.set(schema, info);
  return schema;
}

/** The FieldInfo of a field, looking through optional/default/effects wrappers. */
export function fieldInfo(schema: z.ZodTypeAny): FieldInfo | undefined {
  let s: z.ZodTypeAny | undefined = schema;
  for (let i = 0; s && i < 8; i++) {
    const info = INFO.get(s);
    if (info) return info;
    s = unwrapOnce(s);
  }
  return undefined;
}

/** Whether a field may be left out. */
export const isOptional = (schema: z.ZodTypeAny): boolean => schema.isOptional();

function unwrapOnce(s: z.ZodTypeAny): z.ZodTypeAny | undefined {
  if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) return s.unwrap() as z.ZodTypeAny;
  if (s instanceof z.ZodDefault) return s.removeDefault() as z.ZodTypeAny;
  if (s instanceof z.ZodEffects) return s.innerType() as z.ZodTypeAny;
  if (s instanceof z.ZodPipeline) return s._def.in as z.ZodTypeAny;
  return undefined;
}

// Control characters other than tab and newlines never belong in a name, path or query.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Free text (a host, a path, a query): trimmed, not empty, bounded, no control characters. */
export function text(example: string, max = 4096): z.ZodType<string, z.ZodTypeDef, string> {
  const range = `text of 1 to ${max} characters`;
  return withInfo(
    z
      .string({ invalid_type_error: `must be text (${range})` })
      .transform((s) => s.trim())
      .superRefine((s, ctx) => {
        if (!s) ctx.addIssue({ code: 'custom', message: `is empty: give ${range}, e.g. ${example}` });
        else if (s.length > max) ctx.addIssue({ code: 'custom', message: `is too long (${s.length} characters): give ${range}` });
        else if (CONTROL.test(s)) ctx.addIssue({ code: 'custom', message: `contains control characters: give plain ${range}` });
      }),
    { kind: 'text', range, example, max },
  );
}

/** Text taken as it is (a password, a description): only its length is bounded. */
export function freeText(example: string, max: number): z.ZodType<string, z.ZodTypeDef, string> {
  const range = `text of at most ${max} characters`;
  return withInfo(z.string({ invalid_type_error: `must be ${range}` }).max(max, `is too long: give ${range}`), {
    kind: 'text',
    range,
    example,
    max,
  });
}

/** A whole number typed as text ("25"). */
export function int(min: number, max: number, example = String(min)): z.ZodType<number, z.ZodTypeDef, string> {
  const range = `a whole number from ${min} to ${max}`;
  return withInfo(
    z.string({ invalid_type_error: `must be ${range}` }).transform((s, ctx) => {
      const t = s.trim();
      const n = Number(t);
      if (!/^\d+$/.test(t) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `is out of range: use ${range}` });
        return z.NEVER;
      }
      return n;
    }),
    { kind: 'int', range, example, min, max },
  );
}

/** A whole number in a JSON body, also accepted as digits in text (what --param key=value gives). */
export function count(min: number, max: number, example = min): z.ZodType<number, z.ZodTypeDef, unknown> {
  const range = `a whole number from ${min} to ${max}`;
  return withInfo(
    z.unknown().transform((v, ctx) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `is out of range: use ${range}` });
        return z.NEVER;
      }
      return n;
    }),
    { kind: 'int', range, example: String(example), min, max },
  );
}

// Dates outside this window are typos (0001, 99999) and would create absurd daily indices.
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59);
const TIME_RANGE = 'an ISO time (2026-11-27T03:00:00Z), now, or a relative time like -2h or -3d, between 1970 and 9999';

/** An instant as ISO text, or undefined when `s` is no time or outside 1970–9999. */
function instant(s: string): string | undefined {
  let ms = NaN;
  try {
    ms = parseTime(s, 'time').getTime();
  } catch {
    ms = NaN;
  }
  return ms >= EARLIEST && ms <= LATEST ? new Date(ms).toISOString() : undefined;
}

/** A point in time as typed (ISO, now, -2h), as ISO text in UTC. */
export function time(example = '2026-11-27T03:00:00Z'): z.ZodType<string, z.ZodTypeDef, string> {
  return withInfo(
    z.string({ invalid_type_error: `must be ${TIME_RANGE}` }).transform((s, ctx) => {
      const at = instant(s);
      if (at === undefined) {
        ctx.addIssue({ code: 'custom', message: `is not a time: use ${TIME_RANGE}` });
        return z.NEVER;
      }
      return at;
    }),
    { kind: 'time', range: TIME_RANGE, example },
  );
}

const VERSION_RANGE = `a version id (64 hex digits, as history lists them) or ${TIME_RANGE}`;

/** A file version: its id, or a time (the version at or before it). */
export function versionRef(example = '-2d'): z.ZodType<{ id: string } | { at: string }, z.ZodTypeDef, string> {
  return withInfo(
    z.string({ invalid_type_error: `must be ${VERSION_RANGE}` }).transform((s, ctx) => {
      const t = s.trim();
      if (/^[0-9a-f]{64}$/.test(t)) return { id: t };
      const at = instant(t);
      if (at === undefined) {
        ctx.addIssue({ code: 'custom', message: `is not a version: use ${VERSION_RANGE}` });
        return z.NEVER;
      }
      return { at };
    }),
    { kind: 'time', range: VERSION_RANGE, example },
  );
}

/** Elasticsearch stores sizes as a long; beyond 2^53 a JavaScript number is no longer exact. */
export const MAX_BYTES = Number.MAX_SAFE_INTEGER;
const SIZE_RANGE = `bytes or a number with k, M, G or T (k = 1024), from 0 to ${MAX_BYTES} bytes, e.g. 4k`;

/**
 * A size as typed (4096, 4k, 10M), in bytes; also a plain number in JSON. Typed as taking text or a number
 * (what callers pass); any other value is refused with the size message.
 */
export function size(example = '4k'): z.ZodType<number, z.ZodTypeDef, string | number> {
  const shape: z.ZodType<number, z.ZodTypeDef, unknown> = withInfo(
    z.unknown().transform((v, ctx) => {
      let n = NaN;
      if (typeof v === 'number') n = v;
      else if (typeof v === 'string') {
        try {
          n = parseSize(v);
        } catch {
          n = NaN;
        }
      }
      if (!Number.isSafeInteger(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: `is not a size: use ${SIZE_RANGE}` });
        return z.NEVER;
      }
      return n;
    }),
    { kind: 'size', range: SIZE_RANGE, example, min: 0, max: MAX_BYTES },
  );
  // Checks any value at run time; the narrower input type is what TypeScript callers may pass.
  return shape as z.ZodType<number, z.ZodTypeDef, string | number>;
}

const MAX_DURATION_MS = 100 * 365 * 86_400_000;
const DURATION_RANGE = 'a number with ms, s, m, h, d or w (90m, 2h, 3d), longer than zero and at most 100 years';

/** A duration as typed (90m, 2h), kept as text for the fleet functions that take it so. */
export function duration(example = '2h'): z.ZodType<string, z.ZodTypeDef, string> {
  return withInfo(
    z.string({ invalid_type_error: `must be ${DURATION_RANGE}` }).transform((s, ctx) => {
      let ms = NaN;
      try {
        ms = parseDuration(s);
      } catch {
        ms = NaN;
      }
      if (!(ms > 0 && ms <= MAX_DURATION_MS)) {
        ctx.addIssue({ code: 'custom', message: `is not a duration: use ${DURATION_RANGE}` });
        return z.NEVER;
      }
      return s.trim();
    }),
    { kind: 'duration', range: DURATION_RANGE, example },
  );
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(
  values: readonly [T, ...T[]],
  example: T = values[0],
  noun = 'known',
): z.ZodType<T, z.ZodTypeDef, unknown> {
  const range = `one of ${values.join(', ')}`;
  return withInfo(
    z.unknown().transform((v, ctx) => {
      if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
        ctx.addIssue({ code: 'custom', message: `is not ${noun}: use ${range}` });
        return z.NEVER;
      }
      return v as T;
    }),
    { kind: 'enum', range, example, values },
  );
}

/** A CLI boolean flag (--json): parseArgs gives true or nothing. */
export const flag = (): z.ZodOptional<z.ZodBoolean> =>
  withInfo(z.boolean().optional(), { kind: 'flag', range: 'a flag without a value', example: 'true' });

/** A repeatable CLI flag (--param a=1 --param b=2). */
export function list(item: z.ZodType<string, z.ZodTypeDef, string>, example: string): z.ZodOptional<z.ZodArray<z.ZodType<string>>> {
  const info = fieldInfo(item);
  return withInfo(z.array(item).optional(), {
    kind: 'list',
    range: `repeatable, each ${info?.range ?? 'text'}`,
    example,
    max: info?.max,
  });
}

/** `name=value` (CLI --var / --param); the value may contain "=". */
export function pair(example: string, max = 4096): z.ZodType<string, z.ZodTypeDef, string> {
  const range = `name=value (at most ${max} characters)`;
  return withInfo(
    z.string().superRefine((s, ctx) => {
      if (s.indexOf('=') <= 0 || s.length > max || CONTROL.test(s)) ctx.addIssue({ code: 'custom', message: `is not ${range}` });
    }),
    { kind: 'text', range, example, max },
  );
}

/** Text of a given form (a kernel version, a version id). */
export function matching(example: string, re: RegExp, range: string, max = 256, noun = 'valid'): z.ZodType<string, z.ZodTypeDef, string> {
  return withInfo(
    text(example, max).superRefine((s, ctx) => {
      if (s && s.length <= max && !re.test(s)) ctx.addIssue({ code: 'custom', message: `is not ${noun}: use ${range}` });
    }),
    { kind: 'text', range, example, max },
  );
}

/** A kernel version as `hosts` matches it: major.minor exactly, or a full release. */
export const kernelVersion = () =>
  matching('4.4', /^\d+\.\d+/, 'major.minor (4.4) or a full release (4.4.0-210-generic)', 256, 'a kernel version');

/** A share of a whole, 0.5 or 50%; that it is above 0 and at most 1 is checked where it is parsed (parseFraction). */
export const fraction = (example: string): z.ZodType<string, z.ZodTypeDef, string> =>
  matching(example, /^\d{1,3}(?:\.\d{1,12})?%?$/, 'a fraction above 0 and at most 1, e.g. 0.5 or 50%', 32, 'a fraction');
