import { posix } from 'node:path';

/** Files that only hold secrets: never shipped unless allow_secrets is set. */
const SECRET_PATHS = new Set(['/etc/shadow', '/etc/gshadow', '/etc/shadow-', '/etc/gshadow-']);
const SSH_HOST_KEY = /^\/etc\/ssh\/ssh_host_[^/]*_key$/;
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** Why a path is refused before it is even read, or undefined. */
export function secretPathReason(path: string): string | undefined {
  if (SECRET_PATHS.has(path)) return `${path} holds password hashes`;
  if (SSH_HOST_KEY.test(path)) return `${path} is an SSH host private key`;
  return undefined;
}

/**
 * Why content is refused, or undefined. *.key and *.pem files are the usual
 * homes of private keys, but a PEM private-key block is refused wherever it is.
 */
export function secretContentReason(path: string, content: string): string | undefined {
  if (!PRIVATE_KEY_BLOCK.test(content)) return undefined;
  const ext = posix.extname(path);
  return `${path} contains a private key${ext === '.key' || ext === '.pem' ? '' : ` (found in a ${ext || 'plain'} file)`}`;
}
