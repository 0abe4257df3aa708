import { stdio, type Command } from './command';
import { reportError } from './report';

export { reportError };
import { setupCommand } from './commands/setup';
import { agentCommand } from './commands/agent';
import { searchCommand } from './commands/search';
import { hostsCommand } from './commands/hosts';
import { valuesCommand } from './commands/values';
import { driftCommand } from './commands/drift';
import { getCommand } from './commands/get';
import { idCommand } from './commands/id';
import { historyCommand } from './commands/history';
import { incidentCommand } from './commands/incident';
import { diffCommand } from './commands/diff';
import { savedCommand } from './commands/saved';
import { alertsCommand } from './commands/alerts';
import { serveCommand } from './commands/serve';
import { pruneCommand } from './commands/prune';

/** Every subcommand, in the order `mitra --help` lists them. */
export const COMMANDS: Command[] = [
  setupCommand,
  agentCommand,
  searchCommand,
  hostsCommand,
  valuesCommand,
  driftCommand,
  getCommand,
  idCommand,
  historyCommand,
  incidentCommand,
  diffCommand,
  savedCommand,
  alertsCommand,
  serveCommand,
  pruneCommand,
];

const usage = () =>
  [
    'usage: mitra <command> [options]   (mitra <command> --help for details)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'Exit codes: 0 ok, 1 no match, 2 usage or input error, 3 cluster unreachable or refused.',
  ].join('\n');

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    stdio.out(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    stdio.err(`mitra: unknown command "${name}": run mitra --help for the list`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    return reportError(e, rest.includes('--debug'));
  }
}
