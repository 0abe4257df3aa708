import type * as kbn from '@kbn/config-schema';

/**
 * A STAND-IN for `@kbn/config-schema`, the package Kibana provides to plugins
 * at runtime — typed against exactly the members declared in
 * kibana-plugin/kibana_api/kbn-config-schema.d.ts (`satisfies` rejects any
 * extra one). Behaviour from Kibana's source
 * (src/platform/packages/shared/kbn-config-schema): an object rejects keys it
 * does not define ("definition for this key is missing"), a missing value
 * takes the default, a wrong type says what it got, a `validate` function's
 * returned string is the error, booleans accept "true"/"false" text, and every
 * message is prefixed by its path (and the namespace Kibana's config service
 * passes, `config validation of [mitra]`).
 */

class SchemaError extends Error {
  constructor(message: string, path: string[], namespace?: string) {
    const where = [namespace, ...path].filter(Boolean).join('.');
    super(where ? `[${where}]: ${message}` : message);
    this.name = 'ValidationError';
  }
}

type Check<V> = (value: unknown, path: string[], namespace?: string) => V;

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'Array' : typeof v);

/** Each type's checker, kept off the type object so it carries only the declared members. */
const checks = new WeakMap<kbn.Type<unknown>, Check<unknown>>();

function makeType<V>(check: Check<V>): kbn.Type<V> {
  const type: kbn.Type<V> = {
    type: undefined as unknown as V,
    validate: (value, _context, namespace) => check(value, [], namespace),
  };
  checks.set(type, check);
  return type;
}

function scalar<V>(name: string, coerce: (v: unknown) => V | undefined, options: kbn.TypeOptions<V> = {}) {
  return makeType<V>((value, path, namespace) => {
    const v = value === undefined ? options.defaultValue : coerce(value);
    if (v === undefined) throw new SchemaError(`expected value of type [${name}] but got [${typeName(value)}]`, path, namespace);
    const problem = options.validate?.(v);
    if (typeof problem === 'string') throw new SchemaError(problem, path, namespace);
    return v;
  });
}

export const schema = {
  object: (props) =>
    makeType((value, path, namespace) => {
      const raw = value === undefined ? {} : value;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new SchemaError(`expected a plain object value, but found [${typeName(raw)}] instead.`, path, namespace);
      }
      for (const key of Object.keys(raw)) {
        if (!(key in props)) throw new SchemaError('definition for this key is missing', [...path, key], namespace);
      }
      const out: Record<string, unknown> = {};
      for (const [key, type] of Object.entries(props)) {
        out[key] = checks.get(type)!((raw as Record<string, unknown>)[key], [...path, key], namespace);
      }
      return out as never;
    }),
  string: (options) => scalar('string', (v) => (typeof v === 'string' ? v : undefined), options),
  boolean: (options) =>
    scalar('boolean', (v) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined), options),
} satisfies typeof kbn.schema;
