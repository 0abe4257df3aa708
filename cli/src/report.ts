import { explainError, isMitraError, isResponseError, transportFailure } from '@mitra/core/dist/base';
import { stdio } from './output';

/** The client's errors, by name (as core recognises them): whichever copy of the client threw them. */
const CLIENT_ERRORS = new Set(['SerializationError', 'DeserializationError', 'ConfigurationError', 'RequestAbortedError']);
const isClientError = (e: unknown): boolean =>
  isResponseError(e) || transportFailure(e) !== undefined || CLIENT_ERRORS.has((e as Error | undefined)?.name ?? '');

/** One line for errors a user can act on; the stack only with --debug. */
export function reportError(error: unknown, debug: boolean): number {
  // A client error no command mapped still gets the one-line explanation.
  const e = isClientError(error) ? explainError(error, 'the cluster') : error;
  if (isMitraError(e)) {
    stdio.err(`mitra: ${e.message}`);
    if (debug) stdio.err(String((e.cause as Error | undefined)?.stack ?? e.stack));
    return e.exitCode;
  }
  stdio.err(`mitra: unexpected error: ${(e as Error)?.message ?? String(e)} (run again with --debug for the stack)`);
  if (debug) stdio.err(String((e as Error)?.stack));
  return 1;
}
