import type { MitraClient } from '../client';
import type { Param } from '../shapes/param';

export type { Param };

export interface Column {
  name: string;
  help: string;
}

/** A guided entry of the app's question picker: a question with one or two of its parameters. */
export interface Form {
  id: string;
  label: string;
  /** The parameter the main field fills, then the optional second one. */
  params: [string] | [string, string];
  /** Values the form sends when a field is left empty. */
  defaults?: Record<string, string>;
}

/** The human output helpers the CLI hands a question (cli/src/format.ts). */
export interface TextFormat {
  table(headers: string[], rows: (string | number | null | undefined)[][]): string[];
  footer(count: number, noun: string, asOf: string | null): string;
  nameList(names: string[], max?: number): string;
  shortHash(hash: string | null | undefined): string;
}

/**
 * One fleet question, declared once: its parameters (names, shapes, help),
 * how it runs, and what its answer holds. The CLI command, the HTTP route,
 * the saved-search kind, the alert-rule parameters, the app's forms and the
 * docs' question tables are all derived from this (see derive.ts).
 */
export interface Question<R = unknown> {
  /** CLI command and API path (`mitra hosts`, GET /api/mitra/hosts). */
  id: string;
  /** Saved-search and alert-rule kind (stored documents keep it). */
  kind: string;
  title: string;
  /** Paragraph for --help and the docs. */
  help: string;
  /** Parameter names in camelCase; the API spells them snake_case, the CLI kebab-case (derived). */
  params: Record<string, Param>;
  /** Whether the answer comes in pages: then it takes `size` and `cursor` and answers `total` and `next`. */
  paged: boolean;
  run(client: MitraClient, prefix: string, params: Record<string, unknown>): Promise<R>;
  columns: Column[];
  /** How many things matched and on which hosts (what alert conditions look at). */
  matches(result: R): { count: number; hosts: string[] };
  /**
   * Saved searches and alert rules, when the answer's page is not what they compare
   * (values: every host behind every value, not one page of one value).
   */
  runForMatches?(client: MitraClient, prefix: string, params: Record<string, unknown>): Promise<{ count: number; hosts: string[] }>;
  /**
   * What the engine would refuse at every run, checked once when a saved search
   * or alert rule is stored, so it is refused there (search: a Lucene query that
   * does not parse). Not called while a parameter still holds a {{var}}.
   */
  checkStored?(client: MitraClient, prefix: string, params: Record<string, unknown>): Promise<void>;
  /** The CLI's human output. */
  text(result: R, f: TextFormat): string[];
  /** CLI exit 1 when nothing matched (default true). */
  exitOneWhenEmpty?: boolean;
  /** Picker entries in the app; default: one form with the question's first two parameters. */
  forms?: Form[];
}

export type Catalog = readonly Question[];

/** Keeps a question's result type inside its own file while the catalog holds many. */
export const defineQuestion = <R>(q: Question<R>): Question => q as unknown as Question;

export const unique = (hosts: string[]): string[] => [...new Set(hosts)].sort();
