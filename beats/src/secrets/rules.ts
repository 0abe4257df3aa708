/**
 * Every default secret rule, as data: the one list the agent applies, the
 * README table is rendered from (`rulesMarkdown`) and the unit tests walk.
 *
 * - `path`: refuse a file whose RESOLVED path (symlinks, `.`, `..`, `//`
 *   followed, hostfs-relative) matches; the same files are also refused by
 *   identity (device + inode, so hard links and bind mounts too) when `identity` is set.
 * - `file`: refuse a file whose every meaningful line (not blank, not `#`) matches `line`.
 * - `marker`: refuse a file that contains `pattern` anywhere.
 * - `block`: replace every match with a redaction marker; a file that is
 *   nothing but such blocks is refused instead.
 * - `key`: in `k = v`, `k: v`, `K=V`, `"k": "v"`, `k="v"` (anywhere on a
 *   line), `<k>v</k>` and YAML `k: |` blocks, redact the value when the key,
 *   split into lower-case words (`DB_PASSWORD`, `dbPassword`, `db-password` →
 *   `db_password`), matches `key`.
 * - `spaced`: like `key`, for `key value` lines (no `=`/`:`), only for the listed key names.
 * - `value`: redact group 1 of `pattern` wherever it appears, whatever the key
 *   (only in files at `paths`, when given).
 * - `exempt`: key rules (not the others) skip files at these resolved paths.
 */
export type SecretRule =
  | { id: string; kind: 'path'; path: RegExp; identity?: string; why: string }
  | { id: string; kind: 'file'; line: RegExp; why: string }
  | { id: string; kind: 'marker'; pattern: RegExp; why: string }
  | { id: string; kind: 'block'; pattern: RegExp; why: string }
  | { id: string; kind: 'key'; key: RegExp; why: string }
  | { id: string; kind: 'spaced'; key: RegExp; why: string }
  | { id: string; kind: 'value'; pattern: RegExp; paths?: RegExp; why: string }
  | { id: string; kind: 'exempt'; path: RegExp; why: string };

/**
 * Every `key`/`spaced` rule needs one of these in the key (case-insensitive):
 * lines without any skip the key rules, which makes large files cheap. The
 * unit tests' redaction table fails if a rule outgrows it.
 */
export const KEY_HINT = /pass|secret|tok|key|auth|pw/i;

/** Keys are normalised to lower-case words joined by `_` before these are tested. */
export const SECRET_RULES: readonly SecretRule[] = [
  // --- refused whole, by what the path resolves to --------------------------------
  { id: 'shadow', kind: 'path', path: /^\/etc\/shadow$/, identity: '/etc/shadow', why: 'holds password hashes' },
  { id: 'shadow-backup', kind: 'path', path: /^\/etc\/shadow-$/, identity: '/etc/shadow-', why: 'holds password hashes' },
  { id: 'gshadow', kind: 'path', path: /^\/etc\/gshadow$/, identity: '/etc/gshadow', why: 'holds password hashes' },
  { id: 'gshadow-backup', kind: 'path', path: /^\/etc\/gshadow-$/, identity: '/etc/gshadow-', why: 'holds password hashes' },
  { id: 'opasswd', kind: 'path', path: /^\/etc\/security\/opasswd$/, identity: '/etc/security/opasswd', why: 'holds old password hashes' },
  { id: 'master-passwd', kind: 'path', path: /^\/etc\/master\.passwd$/, identity: '/etc/master.passwd', why: 'holds password hashes' },
  { id: 'ssh-host-key', kind: 'path', path: /^\/etc\/ssh\/ssh_host_[^/]*_key$/, why: 'is an SSH host private key' },
  { id: 'pgpass', kind: 'path', path: /\/\.pgpass$/, why: 'is a PostgreSQL password file' },

  // --- refused whole, by content --------------------------------------------------
  {
    id: 'shadow-content',
    kind: 'file',
    // name:hash:lastchg:min:max:warn:inactive:expire:reserved, the aging fields numeric or empty.
    line: /^[^:\s]+:[^:\s]*:\d*:\d*:\d*:\d*:\d*:\d*:[^:]*$/,
    why: 'is in shadow format (password hashes)',
  },
  {
    id: 'gshadow-content',
    kind: 'file',
    // group:password:admins:members, the password `!`, `*` or a crypt hash, admins not a numeric gid (that is /etc/group).
    line: /^[^:\s]+:(?:[!*]+|!?\$[^:\s]+)?:(?:[^:\d][^:]*)?:[^:]*$/,
    why: 'is in gshadow format (group password hashes)',
  },
  { id: 'opasswd-content', kind: 'file', line: /^[^:\s]+:\d+:\d+:\$[^\s]+$/, why: 'is in opasswd format (old password hashes)' },
  {
    id: 'pgpass-content',
    kind: 'file',
    // host:port:database:user:password, port a number or *, ':' and '\' escaped inside a field (libpq): a copy or hard link of a
    // .pgpass anywhere (the path rule covers the name only). Exactly four bare colons, so /etc/passwd, /etc/group and IPv6 lists differ.
    line: /^(?:[^:\s\\]|\\.)+:(?:[1-9]\d{0,4}|\*):(?:[^:\s\\]|\\.)+:(?:[^:\s\\]|\\.)+:(?:[^:\\]|\\.)+$/,
    why: 'is in .pgpass format (PostgreSQL passwords)',
  },
  { id: 'putty-key', kind: 'marker', pattern: /^PuTTY-User-Key-File-\d+:/m, why: 'contains a PuTTY private key' },

  // --- redacted in place ------------------------------------------------------------
  {
    id: 'private-key-block',
    kind: 'block',
    // PEM (PKCS#1/#8, EC, DSA, ENCRYPTED), OpenSSH and PGP private keys, also JSON-escaped
    // ("-----BEGIN PRIVATE KEY-----\nMII...") and cut off before END (to the end of the file).
    pattern: /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----(?:[\s\S]*?-----END \1-----|[\s\S]*$)/g,
    why: 'private key (PEM, OpenSSH, PGP)',
  },
  {
    id: 'ssh2-key-block',
    kind: 'block',
    pattern: /---- BEGIN SSH2 (ENCRYPTED )?PRIVATE KEY ----(?:[\s\S]*?---- END SSH2 \1PRIVATE KEY ----|[\s\S]*$)/g,
    why: 'private key (RFC 4716 / ssh.com)',
  },
  {
    id: 'password',
    kind: 'key',
    key: /(?:^|_)(?:password|passwd|pass|passphrase|secret|authtok)$/,
    why: 'passwords and secrets: `password`, `DB_PASSWORD`, `db_pass`, `client_secret`, `ldap_default_authtok`',
  },
  {
    id: 'token',
    kind: 'key',
    key: /(?:^|_)token$/,
    why: 'tokens: `token`, `access_token`, `aws_session_token`, kubeconfig `id-token`, `refresh-token`',
  },
  {
    id: 'key',
    kind: 'key',
    key: /(?:^|_)(?:api|access|secret|private|priv|account|shared_access|encryption|signing|master|auth|app|service)_?key$/,
    why: 'keys: `api_key`, `apiKey`, `x-api-key`, `aws_secret_access_key`, `private_key`, `AccountKey`',
  },
  {
    id: 'named-secret',
    kind: 'key',
    key: /^(?:client_key_data|secret_key_base|requirepass|masterauth|bindpw|rootpw|auth)$/,
    why: 'kubeconfig `client-key-data`, Rails `secret_key_base`, Redis `requirepass`/`masterauth`, LDAP `bindpw`/`rootpw`, Docker `auth`',
  },
  {
    id: 'spaced-secret',
    kind: 'spaced',
    key: /^(?:requirepass|masterauth|bindpw|rootpw)$/,
    why: 'Redis, nslcd and slapd write `requirepass value` without `=`',
  },
  {
    id: 'netrc',
    kind: 'value',
    // The scan stops at the next machine/default (which starts a scan of its own), so a line of them costs linear time, not quadratic.
    pattern: /\b(?:machine\s+\S+|default)\s(?:(?!\b(?:machine\s+(?!\S*\bpassword\s)\S+|default)\s).)*?\bpassword\s+(\S+)/g,
    why: '`machine h login u password p` on one line, in any file',
  },
  {
    id: 'netrc-file',
    kind: 'value',
    paths: /(?:^|\/)[._]netrc$/,
    pattern: /\bpassword\s+(\S+)/g,
    why: '`.netrc` / `_netrc`, where `password p` may have a line of its own',
  },
  {
    id: 'url-password',
    kind: 'value',
    pattern: /:\/\/[^\s/:@"']*:([^\s/@"']+)@/g,
    why: 'the password in `scheme://user:password@host`',
  },
  {
    id: 'crypt-hash',
    kind: 'value',
    pattern: /(\$(?:1|2[abxy]|5|6|y|gy|7|apr1|sha1|md5|argon2(?:id|i|d))\$[^\s:"',;]{8,})/g,
    why: 'crypt(3) password hashes (`$6$...`, `$y$...`, `$2b$...`, htpasswd `$apr1$...`)',
  },
  {
    id: 'azure-connection-string',
    kind: 'value',
    pattern: /\b(?:AccountKey|SharedAccessKey|SharedAccessSignature)=([^;"'\s]+)/g,
    why: 'the key in Azure storage / service bus connection strings',
  },
  {
    id: 'jwt',
    kind: 'value',
    // Tried once per run of token characters (the lookahead checks the run's end), so `eyJ-eyJ-...` costs linear time, not quadratic.
    pattern:
      /(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]{8,}\.)[A-Za-z0-9_-]*?\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)/g,
    why: 'JSON web tokens (Kubernetes service account tokens, OIDC)',
  },
  {
    id: 'vendor-token',
    kind: 'value',
    pattern:
      /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|[sr]k_(?:live|test)_[A-Za-z0-9]{10,}|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35})/g,
    why: 'GitHub, GitLab, Slack, Stripe, OpenAI/Anthropic and Google API tokens by their prefix',
  },
  {
    id: 'nsswitch',
    kind: 'exempt',
    path: /^\/etc\/nsswitch\.conf$/,
    why: '`passwd: files systemd` names databases, not a password',
  },
];

const FORMS: Record<SecretRule['kind'], string> = {
  path: 'refused: resolved path',
  file: 'refused: every line',
  marker: 'refused: content',
  block: 'redacted: block',
  key: 'redacted: value of key',
  spaced: 'redacted: `key value`',
  value: 'redacted: match (group 1)',
  exempt: 'key rules skip path',
};

const matcher = (r: SecretRule): string => {
  if (r.kind === 'value' && r.paths) return `${r.pattern.source}\` in files \`${r.paths.source}`;
  return ('path' in r ? r.path : 'line' in r ? r.line : 'key' in r ? r.key : r.pattern).source;
};

/** The README table, rendered from the rules (beats/README.md must contain it verbatim; a unit test checks). */
export function rulesMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = SECRET_RULES.map((r) => `| \`${r.id}\` | ${FORMS[r.kind]} | \`${cell(matcher(r))}\` | ${cell(r.why)} |`);
  return ['| rule | what it does | pattern | covers |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
