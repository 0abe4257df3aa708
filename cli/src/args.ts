import {
  checkConfigFile,
  COMMAND_FLAGS,
  commandShape,
  type CommandName,
  type CommandValues,
  connect,
  readConfigFile,
  resolveConnection,
  resolveIndexConfig,
  type Connection,
  type RawConfigFile,
} from '@mitra/core';
import { connectionFlags, optionsFor, parseFlags, type ConnectionValues } from './flags';

export { CONNECTION_HELP, connectionFlags, type ConnectionValues } from './flags';

/** parseArgs options derived from a command's declared flags (core/src/commands.ts). */
export function optionsOf(command: CommandName): ReturnType<typeof optionsFor> {
  return optionsFor(COMMAND_FLAGS[command]);
}

/**
 * parseArgs with the command's declared flags, then the values checked
 * against their shapes: every problem is one UsageError line naming the flag.
 */
export function parseCommand<N extends CommandName>(command: N, argv: string[]): { values: CommandValues<N>; positionals: string[] } {
  return parseFlags(command, COMMAND_FLAGS[command], argv, commandShape(command)) as { values: CommandValues<N>; positionals: string[] };
}

export interface ClusterContext {
  connection: Connection;
  prefix: string;
  file: RawConfigFile;
}

/** Resolves flags, env and config file, then connects (one GET / to pick the client mode). */
async function openCluster(v: ConnectionValues): Promise<ClusterContext> {
  const file = v.config ? checkConfigFile(readConfigFile(v.config), v.config) : {};
  const flags = connectionFlags(v);
  const { prefix } = resolveIndexConfig(flags, file);
  const connection = await connect(resolveConnection(flags, file));
  return { connection, prefix, file };
}

/** Opens the cluster the flags name, runs `work` with it, and closes the client whatever happens. */
export async function withCluster<T>(v: ConnectionValues, work: (cluster: ClusterContext) => Promise<T>): Promise<T> {
  const cluster = await openCluster(v);
  try {
    return await work(cluster);
  } finally {
    await cluster.connection.client.close();
  }
}
