import { UsageError, type CommandName, type CommandValues } from '@mitra/core';
import { parseCommand } from './args';
import { stdio, type Command } from './output';
import { attachRelativeTimes } from './time-flags';

export { printJson, stdio, type Command, type Output } from './output';

export interface CommandSpec<N extends CommandName> {
  name: N;
  summary: string;
  usage: string;
  /** Flags that take a time, so a relative one like `-2h` reads as their value. */
  times?: string[];
  /** The command takes no arguments, only flags: what to write instead of one (a stray word is refused, never ignored). */
  noArguments?: string;
  /** Runs with the declared flags checked (core/src/commands.ts); returns the exit code. */
  run(values: CommandValues<N>, positionals: string[]): Promise<number>;
}

/** A subcommand from its spec: parses and checks its flags and answers --help with its usage. */
export function defineCommand<N extends CommandName>(spec: CommandSpec<N>): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    async run(argv) {
      const { values, positionals } = parseCommand(spec.name, spec.times ? attachRelativeTimes(argv, spec.times) : argv);
      if (values.help) {
        stdio.out(spec.usage);
        return 0;
      }
      if (spec.noArguments !== undefined && positionals.length)
        throw new UsageError(
          `${spec.name} takes no arguments, got "${positionals.join(' ')}": ${spec.noArguments}; see mitra ${spec.name} --help`,
        );
      return spec.run(values, positionals);
    },
  };
}
