import { agentCommand } from './commands/agent';
import { reportError } from './report';

/**
 * `mitra agent`'s own entry (bin/mitra.js picks it): it loads the agent and the
 * client-free part of core only, not the other commands, the query library or
 * the Elasticsearch client, so the agent stays small on every host.
 */
export async function main(argv: string[]): Promise<number> {
  const rest = argv.slice(1);
  try {
    return await agentCommand.run(rest);
  } catch (e) {
    return reportError(e, rest.includes('--debug'));
  }
}
