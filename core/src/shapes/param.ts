import type { z } from 'zod';

/**
 * One parameter of a fleet question, declared once: its shape (a shapes/fields
 * builder), its help and label. The fleet function that answers the question
 * declares its parameters with these (fleet/hosts.ts HOST_PARAMS) and takes
 * their type from them (ParamInput); the catalog entry (questions/) reuses the
 * same object, so each parameter name is written in exactly one place. It
 * lives here, apart from both, so fleet/ need not import questions/.
 */
export interface Param {
  /** A shapes/fields builder (it carries range and example), `.optional()` when not required. */
  type: z.ZodTypeAny;
  /** What it means, one line. */
  help: string;
  /** The app's field label. */
  label: string;
  /** The unit a number is in (bytes, ms), when it has one. */
  unit?: string;
  /** What the question uses when the parameter is left out, in words. */
  default?: string;
  /** CLI: the command's argument rather than a flag (`mitra values KEY`); `words`: several words, joined by spaces (an unquoted query). */
  positional?: 'one' | 'words';
}

export type Params = Record<string, Param>;

/**
 * What a caller may pass for declared parameters, as typed (before the shapes
 * check them: `largerThan: '4k'` or `4096`): an optional parameter is an
 * optional property. The fleet functions check what they are given themselves.
 */
export type ParamInput<P extends Params> = z.input<z.ZodObject<{ [K in keyof P]: P[K]['type'] }>>;
