import { z } from 'zod';
import { fieldInfo } from '../shapes/fields';
import { PAGING } from './paging';
import type { Catalog, Form, Param, Question } from './question';

/**
 * Everything the surfaces need from a question, derived from its declaration:
 * the spellings of each parameter (API snake_case, CLI kebab-case), the
 * shapes that check them, the app's forms and the JSON the discovery route
 * answers. No surface holds per-question code.
 */

export const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const kebabCase = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The declared parameters, and `size` + `cursor` for a paged question. */
export const paramsOf = (q: Question): Record<string, Param> => (q.paged ? { ...q.params, ...PAGING } : q.params);

/** The parameter fields under another spelling of their names. */
export function fieldsSpelled(q: Question, spell: (name: string) => string, keep: (p: Param) => boolean = () => true): z.ZodRawShape {
  return Object.fromEntries(
    Object.entries(paramsOf(q))
      .filter(([, p]) => keep(p))
      .map(([name, p]) => [spell(name), p.type]),
  );
}

/** Checked values under a surface's spelling → the declared (camelCase) names, leaving out what was not given. */
export function toDeclared(q: Question, values: Record<string, unknown>, spell: (name: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(paramsOf(q))) if (values[spell(name)] !== undefined) out[name] = values[spell(name)];
  return out;
}

/** The question's picker entries: its own, or one with its first two parameters. */
export function formsOf(q: Question): Form[] {
  if (q.forms) return q.forms;
  const names = Object.keys(q.params).slice(0, 2) as [string] | [string, string];
  return [{ id: q.id, label: q.title, params: names }];
}

export function questionById(catalog: Catalog, id: string): Question | undefined {
  return catalog.find((q) => q.id === id);
}

/** One parameter as GET /api/mitra/questions describes it. */
export interface ParamInfo {
  name: string;
  /** How the HTTP API spells it (query string). */
  api: string;
  /** How the CLI spells it: `--missing-package`, or `argument` for the positional one. */
  flag: string;
  type: string;
  required: boolean;
  label: string;
  help: string;
  range: string;
  example: string;
  unit?: string;
  default?: string;
  min?: number;
  max?: number;
  values?: readonly string[];
}

export interface QuestionInfo {
  id: string;
  kind: string;
  title: string;
  help: string;
  paged: boolean;
  path: string;
  params: ParamInfo[];
  columns: { name: string; help: string }[];
  forms: Form[];
}

export function describeParam(name: string, p: Param): ParamInfo {
  const info = fieldInfo(p.type);
  return {
    name,
    api: snakeCase(name),
    flag: p.positional ? 'argument' : `--${kebabCase(name)}`,
    type: info?.kind ?? 'text',
    required: !p.type.isOptional(),
    label: p.label,
    help: p.help,
    range: info?.range ?? 'text',
    example: info?.example ?? '',
    ...(p.unit ? { unit: p.unit } : {}),
    ...(p.default ? { default: p.default } : {}),
    ...(info?.min !== undefined ? { min: info.min } : {}),
    ...(info?.max !== undefined ? { max: info.max } : {}),
    ...(info?.values ? { values: info.values } : {}),
  };
}

/** The catalog as JSON: what GET /api/mitra/questions answers and the app renders its forms from. */
export function describeCatalog(catalog: Catalog): { questions: QuestionInfo[] } {
  return {
    questions: catalog.map((q) => ({
      id: q.id,
      kind: q.kind,
      title: q.title,
      help: q.help,
      paged: q.paged,
      path: `/api/mitra/${q.id}`,
      params: Object.entries(paramsOf(q)).map(([name, p]) => describeParam(name, p)),
      columns: q.columns,
      forms: formsOf(q),
    })),
  };
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The question table of cli/README.md and core/README.md (generated; a test checks they are current). */
export function questionTable(catalog: Catalog, surface: 'cli' | 'core'): string {
  const lines = ['| question | parameter | accepts | meaning |', '| --- | --- | --- | --- |'];
  for (const q of describeCatalog(catalog).questions) {
    const head = surface === 'cli' ? `\`mitra ${q.id}\`` : `\`${q.id}\` (kind \`${q.kind}\`, GET ${q.path})`;
    lines.push(`| ${head} | | | ${cell(q.title)} |`);
    for (const p of q.params) {
      const name = surface === 'cli' ? (p.flag === 'argument' ? p.label.toUpperCase() : p.flag) : p.name;
      const meaning = `${p.help}${p.unit ? ` (${p.unit})` : ''}${p.default ? `; default ${p.default}` : ''}${p.required ? '; required' : ''}`;
      lines.push(`| | ${cell(name)} | ${cell(p.range)}, e.g. \`${cell(p.example)}\` | ${cell(meaning)} |`);
    }
  }
  return lines.join('\n');
}
