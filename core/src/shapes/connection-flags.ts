import type { z } from 'zod';
import { flag, freeText, matching, text } from './fields';

/*
 * The connection flags every command shares, and the agent's own: apart from
 * the other commands' shapes so the agent (which loads only core/base) can
 * parse its flags without loading the query library.
 */

/** Single-letter aliases. */
export const SHORT_FLAGS: Record<string, string> = { config: 'c', help: 'h' };

export const CONNECTION_FLAGS = {
  es: text('http://127.0.0.1:9200', 4096).optional(),
  'api-key': text('base64-id:key', 4096).optional(),
  user: text('elastic', 1024).optional(),
  password: freeText('changeme', 4096).optional(),
  'ca-file': text('/etc/mitra/ca.pem', 4096).optional(),
  'ca-fingerprint': matching(
    'ab'.repeat(32),
    /^(?:[0-9a-fA-F]{2}:?){32}$/,
    'a sha256 fingerprint: 64 hex digits, colons optional',
    128,
  ).optional(),
  insecure: flag(),
  prefix: matching('mitra-', /^[a-z0-9][a-z0-9_.-]*$/, 'lowercase letters, digits, "-", "_" or "." (an index name start)', 200).optional(),
  config: text('runner.yaml', 4096).optional(),
};

export const COMMON_FLAGS = { json: flag(), debug: flag(), help: flag() };

export const withConnection = <T extends z.ZodRawShape>(fields: T) => ({ ...CONNECTION_FLAGS, ...COMMON_FLAGS, ...fields });
/** `mitra agent`'s flags. */
export const AGENT_FLAGS = withConnection({ once: flag(), status: flag(), 'state-dir': text('/var/lib/mitra', 4096).optional() });
