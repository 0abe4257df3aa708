/*
 * What every command prints through, client-free so the agent's own entry
 * (cli/src/agent-main.ts) can use it without loading the query library.
 */

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
