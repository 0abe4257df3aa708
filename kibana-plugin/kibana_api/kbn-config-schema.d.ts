/**
 * `@kbn/config-schema`, as far as the Mitra server uses it: Kibana provides this
 * package at runtime (it is not on the npm registry), so the server bundle keeps
 * it external and these are only its types. Read from elastic/kibana (stored
 * version, main line; the members below are unchanged since 8.x):
 *   src/platform/packages/shared/kbn-config-schema/src/types/type.d.ts      — Type<V>, TypeOptions
 *   src/platform/packages/shared/kbn-config-schema/src/types/string_type.d.ts — StringOptions
 *   src/platform/packages/shared/kbn-config-schema/index.ts                 — schema.{object,string,boolean}, TypeOf
 * Only the members the plugin uses are declared.
 */
declare module '@kbn/config-schema' {
  /** type.d.ts: `validate?: (value: T) => string | void` — a returned string is the error message. */
  export interface TypeOptions<T> {
    defaultValue?: T;
    validate?: (value: T) => string | void;
  }

  /** string_type.d.ts */
  export type StringOptions = TypeOptions<string> & { minLength?: number; maxLength?: number };

  /** type.d.ts: an abstract class in Kibana; `type` only carries V for TypeOf. */
  export interface Type<V> {
    readonly type: V;
    validate(value: unknown, context?: Record<string, unknown>, namespace?: string): V;
  }

  export type TypeOf<RT extends Type<unknown>> = RT['type'];

  export const schema: {
    object<P extends Record<string, Type<unknown>>>(props: P): Type<{ readonly [K in keyof P]: TypeOf<P[K]> }>;
    string(options?: StringOptions): Type<string>;
    boolean(options?: TypeOptions<boolean>): Type<boolean>;
  };
}
