import { z } from 'zod';
import { ordered } from './api/routes/history';
import type { Question } from './questions';
import { fieldsSpelled, kebabCase } from './questions/derive';
import { PAGING_FIELDS } from './questions/paging';
import { QUERY_KINDS } from './saved/kinds';
import { withConnection } from './shapes/connection-flags';
import { duration, flag, fraction, freeText, int, list, matching, oneOf, pair, text, time, versionRef } from './shapes/fields';

/**
 * The flags of every `mitra` command, declared once: the CLI derives its
 * parseArgs options from these shapes (a flag field → boolean, a list →
 * repeatable, anything else → takes a value) and checks the values against
 * them before it connects, so a bad flag is exit 2 even with no cluster.
 * The question commands (search, hosts, values, drift) take their flags from
 * the question catalog instead (questionFlags).
 */

// The connection flags live apart (shapes/connection-flags.ts) so the agent can parse its flags from core/base.
export { COMMON_FLAGS, CONNECTION_FLAGS, SHORT_FLAGS } from './shapes/connection-flags';

const kinds = Object.keys(QUERY_KINDS) as [string, ...string[]];
/** core/src/retention parses it (1d-9999d or off); the shape refuses what it would. */
const retention = () =>
  matching('90d', /^([1-9]\d{0,3}d|off)$/i, 'a number of days like 90d (1d-9999d), or off', 16, 'a retention').optional();

/** Each command's flags (the shape of parseArgs' `values`). */
export const COMMAND_FLAGS = {
  setup: withConnection({ retention: retention() }),
  prune: withConnection({ retention: retention(), 'dry-run': flag() }),
  agent: withConnection({ once: flag(), status: flag(), 'state-dir': text('/var/lib/mitra', 4096).optional() }),
  get: withConnection({ at: time('-2h').optional() }),
  id: withConnection({}),
  history: withConnection({
    at: time('-2h').optional(),
    from: time('-2d').optional(),
    to: time('now').optional(),
    series: text('mitra.meminfo.Cached', 256).optional(),
    'max-points': int(1, 10_000, '1000').optional(),
    // the version list pages as the questions do: --size N --cursor NEXT.
    ...PAGING_FIELDS,
  }),
  diff: withConnection({
    hosts: flag(),
    from: versionRef('-2d').optional(),
    to: versionRef('now').optional(),
    against: text('web-02', 1024).optional(),
  }),
  saved: withConnection({
    kind: oneOf(kinds, 'hosts', 'a query kind').optional(),
    param: list(pair('missingPackage={{pkg}}'), 'missingPackage={{pkg}}'),
    params: text('{"query": "content:{{word}}"}', 65_536).optional(),
    description: freeText('hosts without zsh', 1000).optional(),
    var: list(pair('pkg=zsh'), 'pkg=zsh'),
    // list pages as the questions do: --size N --cursor NEXT.
    ...PAGING_FIELDS,
  }),
  alerts: withConnection({
    search: text('lacking-zsh', 128).optional(),
    var: list(pair('pkg=zsh'), 'pkg=zsh'),
    kind: oneOf(kinds, 'hosts', 'a query kind').optional(),
    param: list(pair('missingPackage=zsh'), 'missingPackage=zsh'),
    when: text('matches > 3', 4096).optional(),
    webhook: list(text('https://hooks.example/mitra', 2048), 'https://hooks.example/mitra'),
    'no-log': flag(),
    description: freeText('hosts without zsh', 1000).optional(),
    enable: flag(),
    disable: flag(),
    every: duration('60s').optional(),
    // list and history page as the questions do: --size N --cursor NEXT.
    ...PAGING_FIELDS,
  }),
  incident: withConnection({
    from: time('2016-09-10T10:53:00Z').optional(),
    to: time('2016-09-10T10:54:00Z').optional(),
    fleet: flag(),
    order: int(0, 10, '3').optional(),
    'cache-drop': fraction('0.5').optional(),
    'anon-bound': fraction('0.02').optional(),
    'prune-samples': duration('14d').optional(),
  }),
  serve: withConnection({
    port: int(0, 65_535, '5601').optional(),
    host: text('127.0.0.1', 255).optional(),
    ui: text('./ui', 4096).optional(),
    'allow-host': list(text('mitra.example.com:5601', 261), 'mitra.example.com:5601'),
    'token-file': text('/etc/mitra/serve-token', 4096).optional(),
    'caller-api-keys': flag(),
    retention: retention(),
  }),
} satisfies Record<string, z.ZodRawShape>;

export type CommandName = keyof typeof COMMAND_FLAGS;

/** Checks between flags, by command: `--from` not after `--to`. */
export const COMMAND_REFINEMENTS: Partial<Record<CommandName, (v: Record<string, unknown>, ctx: z.RefinementCtx) => void>> = {
  history: (v, ctx) => ordered(v as { from?: string; to?: string }, ctx),
  incident: (v, ctx) => ordered(v as { from?: string; to?: string }, ctx),
};

/** The whole shape of a command's flags: unknown flags refused (parseArgs does that first, with its own words). */
export function commandShape(name: CommandName) {
  const obj = z.object(COMMAND_FLAGS[name] as z.ZodRawShape).strict();
  const refine = COMMAND_REFINEMENTS[name];
  return refine ? obj.superRefine((v, ctx) => refine(v as Record<string, unknown>, ctx)) : obj;
}

/** A command's checked flag values. */
export type CommandValues<N extends CommandName> = z.output<z.ZodObject<(typeof COMMAND_FLAGS)[N]>>;

/** A question command's flags: connection and common flags, and the question's parameters (not the positional one) in kebab-case. */
export function questionFlags(q: Question): z.ZodRawShape {
  return withConnection(fieldsSpelled(q, kebabCase, (p) => !p.positional));
}

/** The whole shape a question command checks: its flags, and its positional parameter as `_` (named "argument" in messages). */
export function questionCommandShape(q: Question) {
  const pos = Object.entries(q.params).find(([, p]) => p.positional);
  return z.object({ ...questionFlags(q), ...(pos ? { _: pos[1].type } : {}) }).strict();
}
