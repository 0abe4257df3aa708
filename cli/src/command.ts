import type { CommandName, CommandValues } from '@mitra/core';
import { parseCommand } from './args';
import { attachRelativeTimes } from './time-flags';

/** A `mitra` subcommand. Each lives in commands/<name>.ts and is listed in main.ts. */
export interface Command {
  name: string;
  summary: string;
  /** Full --help text. */
  usage: string;
  /** Returns the exit code: 0 ok, 1 no match (where meaningful), 2 usage/input error, 3 cluster error. */
  run(argv: string[]): Promise<number>;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const stdio: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Prints the one JSON document a --json invocation produces. */
export const printJson = (value: unknown): void => stdio.out(JSON.stringify(value, null, 2));

export interface CommandSpec<N extends CommandName> {
  name: N;
  summary: string;
  usage: string;
  /** Flags that take a time, so a relative one like `-2h` reads as their value. */
  times?: string[];
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
      return spec.run(values, positionals);
    },
  };
}
