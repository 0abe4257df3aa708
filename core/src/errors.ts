/**
 * Errors a user can cause or fix. Each carries a one-line message that names
 * what is wrong and how to fix it; the CLI prints only that line (plus the
 * stack with --debug) and exits with `exitCode`.
 */
export class MitraError extends Error {
  /** 2: usage or input error; 3: the cluster or the environment. */
  readonly exitCode: number;
  constructor(message: string, exitCode = 2, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** A bad flag, config key or query. */
export class UsageError extends MitraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
  }
}

/** A config file that cannot be read or does not parse. */
export class ConfigError extends MitraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
  }
}

/** The cluster is unreachable, refuses our credentials or certificate, or fails a request. */
export class ClusterError extends MitraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 3, options);
  }
}

/** A named thing (saved search, alert rule, file version) does not exist: exit 1 in the CLI, 404 in the API. */
export class NotFoundError extends MitraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 1, options);
  }
}

export const isMitraError = (e: unknown): e is MitraError => e instanceof MitraError;
