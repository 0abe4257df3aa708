import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import type { AgentConfig } from '../config';
import { redact, type RedactRule } from '../redact';
import { MARKER_PREFIX, SECRET_IDENTITIES, redactSecrets, refusedContent, refusedPath, type Mark } from './detect';
import { resolveHostPath } from './resolve';

export interface SecretPolicy {
  /** hostfs mount ("" for this machine). */
  hostfs: string;
  /** allow_secrets: ship files that would be refused. */
  allowSecrets: boolean;
  /** The default rules (off only with an explicit `redact: off`). */
  defaults: boolean;
  /** The user's `redact:` rules, applied after the defaults. */
  rules: RedactRule[];
  /** Per-host salt of the marker hashes; never leaves the host. */
  salt: Buffer;
}

/** Where a configured path leads: the resolved host-visible path and the file to open. */
export type SecretTarget = { resolved: string; file: string } | { refused: string } | { error: unknown };

/**
 * Decides on what a file is, not on how it was named: the resolved path, the
 * identity (device + inode) of what was opened, and the content read locally.
 * Nothing here logs or returns a secret; reasons name paths and rules only.
 */
export class SecretGuard {
  readonly mark: Mark;

  constructor(readonly policy: SecretPolicy) {
    this.mark = (secret) => `${MARKER_PREFIX}${createHmac('sha256', policy.salt).update(secret).digest('hex').slice(0, 8)}»`;
  }

  /** Resolves `path` (after globbing) and refuses it by where it leads. */
  target(path: string): SecretTarget {
    let resolved: string;
    try {
      resolved = resolveHostPath(path, this.policy.hostfs);
    } catch (error) {
      return { error };
    }
    const why = this.policy.allowSecrets ? undefined : refusedPath(resolved);
    if (why) return { refused: resolved === path ? `${path} ${why}` : `${path} resolves to ${resolved}, which ${why}` };
    return { resolved, file: this.policy.hostfs + resolved };
  }

  /** Refuses an opened file that IS a secret file (hard link, bind mount, copy-free alias). */
  identity(path: string, st: BigIntStats): string | undefined {
    if (this.policy.allowSecrets) return undefined;
    for (const secret of SECRET_IDENTITIES) {
      const known = statSync(this.policy.hostfs + secret, { bigint: true, throwIfNoEntry: false });
      if (known && known.dev === st.dev && known.ino === st.ino) return `${path} is the same file as ${secret}`;
    }
    return undefined;
  }

  /** The content to ship (secrets redacted), or why the whole file is refused. */
  inspect(path: string, resolved: string, text: string): { content: string } | { refused: string } {
    const why = this.policy.allowSecrets ? undefined : refusedContent(text);
    if (why) return { refused: `${path} ${why}` };
    const redacted = this.policy.defaults ? redactSecrets(text, this.mark, resolved) : text;
    return { content: redact(redacted, this.policy.rules) };
  }
}

const SALT_FILE = 'redact-salt';

/**
 * The host's salt, created once (32 random bytes, mode 0600 in a 0700
 * directory) in the state directory. If the state directory cannot be
 * written, a salt for this process only (markers then change on restart).
 */
export function loadSalt(stateDir: string): { salt: Buffer; persisted: boolean } {
  const file = join(stateDir, SALT_FILE);
  try {
    const salt = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
    if (salt.length >= 16) {
      chmodSync(file, 0o600);
      return { salt, persisted: true };
    }
  } catch {
    // first start: create it below
  }
  const salt = randomBytes(32);
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${salt.toString('hex')}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return { salt, persisted: true };
  } catch {
    return { salt, persisted: false };
  }
}

/** The agent's guard: its config's policy, with the salt kept in its state directory. */
export function secretGuardFor(
  config: Pick<AgentConfig, 'hostfs' | 'allowSecrets' | 'redact' | 'redactDefaults'>,
  stateDir: string,
  warn: (line: string) => void,
): SecretGuard {
  const { salt, persisted } = loadSalt(stateDir);
  if (!persisted) warn(`redact: cannot keep a salt in ${stateDir}; redaction markers will change when the agent restarts`);
  return new SecretGuard({
    hostfs: config.hostfs,
    allowSecrets: config.allowSecrets,
    defaults: config.redactDefaults,
    rules: config.redact,
    salt,
  });
}
