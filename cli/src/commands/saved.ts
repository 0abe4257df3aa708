import {
  createSaved,
  deleteSaved,
  explained,
  getSaved,
  listSaved,
  parseVars,
  placeholders,
  queryKind,
  QUERY_KINDS,
  runSaved,
  updateSaved,
  UsageError,
  type IndexScope,
} from '@mitra/core';
import { CONNECTION_HELP, withCluster } from '../args';
import { defineCommand, printJson, stdio } from '../command';
import { footer, table } from '../format';

export const savedCommand = defineCommand({
  name: 'saved',
  summary: 'saved searches: named, parameterised queries stored in Elasticsearch',
  usage: `usage: mitra saved list [--size N] [--cursor NEXT]
       mitra saved get NAME
       mitra saved create NAME --kind KIND (--param key=value ... | --params JSON) [--description TEXT]
       mitra saved update NAME [--kind KIND] [--param key=value ... | --params JSON] [--description TEXT]
       mitra saved delete NAME
       mitra saved run NAME [--var name=value ...]

Kinds and their parameters:
${Object.entries(QUERY_KINDS)
  .map(([k, v]) => `  ${k.padEnd(7)} ${v.params.join(', ')}\n          ${v.description}`)
  .join('\n')}
A parameter value may hold {{var}} placeholders, filled by run --var var=value, e.g.
  mitra saved create lacking --kind hosts --param 'missingPackage={{pkg}}'
  mitra saved run lacking --var pkg=zsh
run prints the matching hosts (--json: the whole answer); exit 1 when nothing matches.
list shows 100 by name (--size, 1 to 10000); when more follow it prints the --cursor of the next page.

${CONNECTION_HELP}`,
  async run(values, positionals) {
    const [action, name, ...extra] = positionals;
    // list takes no name: a word after it is refused, never ignored, like any argument too many.
    if (action === 'list' && name !== undefined) extra.unshift(name);
    if (!action) throw new UsageError('saved needs an action: list, get, create, update, delete or run; see mitra saved --help');
    if (action !== 'list' && !name) throw new UsageError(`saved ${action} needs a name, e.g. mitra saved ${action} my-search`);
    if (extra.length) throw new UsageError(`saved ${action}: unexpected argument "${extra[0]}"`);
    const params = paramsFrom(values.param, values.params);
    return withCluster(values, async ({ connection, prefix }) => {
      const scope: IndexScope = { client: connection.client, prefix };
      const out = (v: unknown, text: () => void) => (values.json ? printJson(v) : text());
      return await explained(scope, async () => {
        switch (action) {
          case 'list': {
            const res = await listSaved(scope, { size: values.size, cursor: values.cursor });
            out(res, () => {
              if (res.searches.length) {
                const rows = res.searches.map((s) => [s.name, s.kind, placeholders(s.params).join(',') || '-', s.description]);
                for (const line of table(['name', 'kind', 'vars', 'description'], rows)) stdio.out(line);
              }
              if (res.next) stdio.out(`more: --cursor ${res.next}`);
              stdio.out(footer(res.total, 'saved search', null));
            });
            return 0;
          }
          case 'get': {
            const s = await getSaved(scope, name);
            out(s, () => stdio.out(JSON.stringify(s, null, 2)));
            return 0;
          }
          case 'create': {
            if (!values.kind) throw new UsageError(`saved create needs --kind (${Object.keys(QUERY_KINDS).join(', ')})`);
            const s = await createSaved(scope, { name, kind: values.kind, params: params ?? {}, description: values.description });
            out(s, () => stdio.out(`created saved search ${s.name} (${s.kind})`));
            return 0;
          }
          case 'update': {
            const s = await updateSaved(scope, name, { kind: values.kind, params, description: values.description });
            out(s, () => stdio.out(`updated saved search ${s.name}`));
            return 0;
          }
          case 'delete': {
            const res = await deleteSaved(scope, name);
            out(res, () => stdio.out(`deleted saved search ${name}`));
            return 0;
          }
          case 'run': {
            const res = await runSaved(scope, name, parseVars(values.var ?? []));
            const { count, hosts } = queryKind(res.kind).matches(res.result);
            out(res, () => {
              for (const h of hosts) stdio.out(h);
              stdio.err(`${name}: ${count} match${count === 1 ? '' : 'es'} on ${hosts.length} host${hosts.length === 1 ? '' : 's'}`);
            });
            return count ? 0 : 1;
          }
          default:
            throw new UsageError(`saved: unknown action "${action}": use list, get, create, update, delete or run`);
        }
      });
    });
  },
});

/** --param key=value pairs or --params '{"key": ...}'; undefined when neither is given. */
function paramsFrom(pairs: string[] | undefined, json: string | undefined): Record<string, unknown> | undefined {
  if (pairs?.length && json) throw new UsageError('give --param key=value or --params JSON, not both');
  if (pairs?.length) return parseVars(pairs, '--param');
  if (json === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the message below
  }
  throw new UsageError(`--params must be a JSON object, e.g. '{"query": "content:{{word}}"}'`);
}
