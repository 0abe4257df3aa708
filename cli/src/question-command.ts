import { parseArgs } from 'node:util';
import type { ZodTypeAny } from 'zod';
import {
  check,
  cliFlag,
  describeCatalog,
  fieldInfo,
  kebabCase,
  paramsOf,
  questionCommandShape,
  questionFlags,
  SHORT_FLAGS,
  toDeclared,
  UsageError,
  type Catalog,
  type Question,
} from '@mitra/core';
import { CONNECTION_HELP, withCluster, type ConnectionValues } from './args';
import { printJson, stdio, type Command } from './command';
import { footer, nameList, shortHash, table } from './format';
import { attachRelativeTimes } from './time-flags';
import { argsError } from './flags';

/**
 * The `mitra <question>` commands, derived from the question catalog
 * (core/src/questions): flags, --help and argument checks come from each
 * question's declared parameters, so a question needs no command file.
 */

const METAVAR: Record<string, string> = { int: 'N', size: 'SIZE', duration: 'D', time: 'T', enum: 'WORD' };
const metavar = (field: ZodTypeAny) => METAVAR[fieldInfo(field)?.kind ?? ''] ?? 'X';

function positionalOf(q: Question): [string, string] | undefined {
  const found = Object.entries(q.params).find(([, p]) => p.positional);
  return found ? [found[0], found[1].label.toUpperCase()] : undefined;
}

export function questionUsage(q: Question): string {
  const info = describeCatalog([q]).questions[0];
  const pos = positionalOf(q);
  const flags = info.params.filter((p) => p.flag !== 'argument');
  const fieldOf = (name: string) => paramsOf(q)[name].type;
  const synopsis = flags.map((p) => `[${p.flag} ${metavar(fieldOf(p.name))}]`).join(' ');
  const lines = flags.map((p) => {
    const left = `  ${p.flag} ${metavar(fieldOf(p.name))}`.padEnd(24);
    const extra = [p.unit && `in ${p.unit}`, p.default && `default ${p.default}`].filter(Boolean).join('; ');
    return `${left}${p.help}${extra ? ` (${extra})` : ''}; ${p.range}`;
  });
  return [
    `usage: mitra ${q.id}${pos ? ` ${pos[1]}` : ''} ${synopsis} [--json]`.replace(/ +/g, ' '),
    '',
    q.help,
    ...(pos ? [`  ${pos[1]}`.padEnd(24) + info.params.find((p) => p.flag === 'argument')!.help] : []),
    ...lines,
    '',
    CONNECTION_HELP,
  ].join('\n');
}

/** The checked flag values (kebab-case) and the question's parameters (declared names), or a one-line UsageError naming the flag. */
export function parseQuestionArgs(q: Question, argv: string[]): { values: Record<string, unknown>; params: Record<string, unknown> } {
  const shape = questionFlags(q);
  const timeFlags = Object.entries(shape)
    .filter(([, f]) => fieldInfo(f as ZodTypeAny)?.kind === 'time')
    .map(([name]) => `--${name}`);
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: attachRelativeTimes(argv, timeFlags),
      options: Object.fromEntries(
        Object.entries(shape).map(([name, field]) => [
          name,
          {
            type: fieldInfo(field as ZodTypeAny)?.kind === 'flag' ? ('boolean' as const) : ('string' as const),
            ...(SHORT_FLAGS[name] ? { short: SHORT_FLAGS[name] } : {}),
          },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw argsError(q.id, e);
  }
  if (parsed.values.help) return { values: parsed.values, params: {} };
  const pos = positionalOf(q);
  const raw: Record<string, unknown> = { ...parsed.values };
  if (pos) {
    if (!parsed.positionals.length) {
      const example = fieldInfo(q.params[pos[0]].type)?.example;
      throw new UsageError(
        `${q.id} needs ${pos[1]}, e.g. mitra ${q.id} ${example?.includes(' ') ? `'${example}'` : example}; see mitra ${q.id} --help`,
      );
    }
    if (parsed.positionals.length > 1 && q.params[pos[0]].positional === 'one')
      throw new UsageError(`${q.id} takes one ${pos[1]}, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`);
    raw._ = parsed.positionals.join(' ');
  } else if (parsed.positionals.length) {
    // Refused, not ignored: mitra hosts zsh --os ubuntu meant --package zsh, and an answer without it would be another question's.
    throw new UsageError(
      `${q.id} takes no arguments, got "${parsed.positionals.join(' ')}": give every condition as a flag; see mitra ${q.id} --help`,
    );
  }
  let values: Record<string, unknown>;
  try {
    values = check(questionCommandShape(q), raw, cliFlag);
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; see mitra ${q.id} --help`);
  }
  const params = toDeclared(q, values, kebabCase);
  if (pos) params[pos[0]] = values._;
  return { values, params };
}

const FORMAT = { table, footer, nameList, shortHash };

export function questionCommand(q: Question): Command {
  return {
    name: q.id,
    summary: q.title,
    usage: questionUsage(q),
    async run(argv) {
      const { values, params } = parseQuestionArgs(q, argv);
      if (values.help) {
        stdio.out(this.usage);
        return 0;
      }
      return withCluster(values as ConnectionValues, async ({ connection, prefix }) => {
        const result = await q.run(connection.client, prefix, params);
        if (values.json) printJson(result);
        else for (const line of q.text(result, FORMAT)) stdio.out(line);
        return q.exitOneWhenEmpty === false || q.matches(result).count ? 0 : 1;
      });
    },
  };
}

export const questionCommands = (catalog: Catalog): Command[] => catalog.map(questionCommand);
