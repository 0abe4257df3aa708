import { setFlagsFromString } from 'node:v8';

// The agent allocates in short bursts once a cycle; V8 would grow its young generation to 32 MiB
// for them and keep it. Holding the growth factor at 1 keeps it at its starting size however the
// agent is launched (a flag on the node command line is lost on a hand-started agent). Node keeps
// V8's flags writable after start for this call, and V8 reads this one each time it considers
// growing, so it takes effect (agent-main.test.ts checks it in a plain node). It is set before any
// of the agent's modules load (the loading is itself a burst), hence the imports below.
setFlagsFromString('--semi-space-growth-factor=1');

/**
 * `mitra agent`'s own entry (bin/mitra.js picks it): it loads the agent and the
 * client-free part of core only, not the other commands, the query library or
 * the Elasticsearch client, so the agent stays small on every host.
 */
export async function main(argv: string[]): Promise<number> {
  const rest = argv.slice(1);
  const { reportError } = await import('./report');
  try {
    const { agentCommand } = await import('./commands/agent');
    return await agentCommand.run(rest);
  } catch (e) {
    return reportError(e, rest.includes('--debug'));
  }
}
