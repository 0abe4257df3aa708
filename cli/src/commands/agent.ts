import { Agent, describe, type AgentStatus } from '@mitra/beats';
import { AGENT_FLAGS, UsageError } from '@mitra/core/dist/base';
import { CONNECTION_HELP, connectionFlags, parseFlags, type ConnectionValues } from '../flags';
import { printJson, stdio, type Command } from '../output';

export const agentCommand: Command = {
  name: 'agent',
  summary: 'run the host agent: snapshot files, /proc, sysctl and packages into Elasticsearch',
  usage: `usage: mitra agent -c runner.yaml [--once | --status] [--state-dir DIR] [--json]

Reads the files listed in runner.yaml (the original format works unchanged; see
beats/runner.example.yaml for the extensions), live sysctl settings and the
package list, and ships them through the <prefix>snapshot pipeline. Runs until
SIGTERM/SIGINT: a full cycle every \`frequency\` seconds, and changed files
within about a second of the change. When Elasticsearch is unreachable it
spools to disk and resends when it is back.

  --once             one cycle, then exit: 0 if everything was shipped, 3 if
                     something was spooled (cluster unreachable), 1 if the
                     cluster rejected a document
  --status           spool size and last successful cycle, from the state dir
  --state-dir DIR    state and spool (MITRA_STATE_DIR, config state_dir,
                     default /var/lib/mitra if writable, else ~/.mitra)

${CONNECTION_HELP}`,
  async run(argv) {
    // Not parseCommand: the agent loads only the client-free part of core (see cli/src/agent-main.ts).
    const parsed = parseFlags('agent', AGENT_FLAGS, argv);
    const values = parsed.values as AgentValues;
    if (values.help) {
      stdio.out(this.usage);
      return 0;
    }
    if (parsed.positionals.length)
      throw new UsageError(
        `agent takes no arguments, got "${parsed.positionals.join(' ')}": give the config as -c runner.yaml; see mitra agent --help`,
      );
    if (!values.config) throw new UsageError('mitra agent: -c runner.yaml is required (the agent takes its file list from it)');
    if (values.once && values.status) throw new UsageError('mitra agent: --once and --status do not go together: pick one');
    const agent = Agent.fromFile(values.config, { flags: connectionFlags(values), stateDir: values['state-dir'] });
    if (values.status) return printStatus(agent.status(), values.json);
    if (values.once) {
      const summary = await agent.runOnce();
      if (values.json) printJson(summary);
      // Spooled then resent within the run counts as shipped: what matters is what is left.
      const delivered = agent.config.output === 'spool' || !agent.spool.files().length;
      if (!summary.error && !summary.rejected && delivered) return 0;
      if (summary.error && !agent.log.reachesStderr('warn')) stdio.err(`mitra agent: ${summary.error}`);
      return summary.rejected ? 1 : 3;
    }
    return runForever(agent);
  },
};

type AgentValues = ConnectionValues & { help?: boolean; json?: boolean; once?: boolean; status?: boolean; 'state-dir'?: string };

function runForever(agent: Agent): Promise<number> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      agent.log.info(`agent: ${signal}, stopping after the current cycle`);
      void agent.stop().then(() => resolve(0));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    agent.start();
  });
}

function printStatus(status: AgentStatus, json: boolean | undefined): number {
  if (json) {
    printJson(status);
    return 0;
  }
  const { spool, lastCycle } = status;
  stdio.out(`host:          ${status.host}`);
  stdio.out(`state dir:     ${status.stateDir}`);
  stdio.out(`output:        ${status.output}`);
  stdio.out(`last success:  ${status.lastSuccess ?? 'never'}`);
  stdio.out(`last cycle:    ${lastCycle ? `${lastCycle.at} ${describe(lastCycle)}` : 'none yet'}`);
  if (lastCycle?.error) stdio.out(`last error:    ${lastCycle.error}`);
  stdio.out(
    `spool:         ${spool.files} file(s), ${spool.bytes} bytes in ${spool.dir}${spool.oldest ? ` (oldest ${spool.oldest})` : ''}`,
  );
  return 0;
}
