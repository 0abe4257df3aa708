import { QUESTIONS, type Catalog } from '@mitra/core';
import { stdio, type Command } from './command';
import { reportError } from './report';
import { questionCommands } from './question-command';
import { setupCommand } from './commands/setup';
import { agentCommand } from './commands/agent';
import { getCommand } from './commands/get';
import { idCommand } from './commands/id';
import { historyCommand } from './commands/history';
import { incidentCommand } from './commands/incident';
import { diffCommand } from './commands/diff';
import { savedCommand } from './commands/saved';
import { alertsCommand } from './commands/alerts';
import { serveCommand } from './commands/serve';
import { pruneCommand } from './commands/prune';

/** Every subcommand, in the order `mitra --help` lists them; the question commands come from `catalog`. */
export const commandsOf = (catalog: Catalog): Command[] => [
  setupCommand,
  agentCommand,
  ...questionCommands(catalog),
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

export const COMMANDS: Command[] = commandsOf(QUESTIONS);

const usage = (commands: Command[]) =>
  [
    'usage: mitra <command> [options]   (mitra <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'Exit codes: 0 ok, 1 no match, 2 usage or input error, 3 cluster unreachable or refused.',
  ].join('\n');

export async function main(argv: string[], commands: Command[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    stdio.out(usage(commands));
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
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
