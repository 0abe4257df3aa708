import { KEY_HINT, SECRET_RULES, type SecretRule } from './rules';

/** Turns a secret value into its marker, e.g. `«redacted:3f9a1c2b»`. */
export type Mark = (secret: string) => string;

export const MARKER_PREFIX = '«redacted:';

type Of<K extends SecretRule['kind']> = Extract<SecretRule, { kind: K }>;
const rules = <K extends SecretRule['kind']>(kind: K): Of<K>[] => SECRET_RULES.filter((r): r is Of<K> => r.kind === kind);

const PATHS = rules('path');
const FILE_FORMATS = rules('file');
const MARKERS = rules('marker');
const BLOCKS = rules('block');
const KEYS = rules('key');
const SPACED = rules('spaced');
// The d flag gives group offsets, so only group 1 is replaced even when its text also occurs earlier in the match.
const VALUES = rules('value').map((r) => ({ ...r, pattern: new RegExp(r.pattern.source, `${r.pattern.flags}d`) }));
const EXEMPT = rules('exempt');

/** Why a resolved, host-visible path is refused ("holds password hashes"), or undefined. */
export const refusedPath = (resolved: string): string | undefined => PATHS.find((r) => r.path.test(resolved))?.why;

/** The host-visible paths whose device and inode mark a secret file wherever it is linked or mounted. */
export const SECRET_IDENTITIES: readonly string[] = PATHS.flatMap((r) => (r.identity ? [r.identity] : []));

/** Why content is refused whole (the file is nothing but a secret), or undefined. Decided on the text alone. */
export function refusedContent(text: string): string | undefined {
  const marker = MARKERS.find((r) => r.pattern.test(text));
  if (marker) return marker.why;
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  const format = lines.length ? FILE_FORMATS.find((r) => lines.every((l) => r.line.test(l.replace(/\r$/, '')))) : undefined;
  if (format) return `content ${format.why}`;
  let rest = text;
  let found = false;
  for (const r of BLOCKS) {
    rest = rest.replace(r.pattern, () => {
      found = true;
      return '';
    });
  }
  return found && !/\S/.test(rest) ? 'contains a private key and nothing else' : undefined;
}

/**
 * `DB_PASSWORD`, `dbPassword`, `"db-password"`, `APIKey` → `db_password`, ..., `api_key`.
 * An upper-case run is split from its start only: retried at every letter, `PASSAAAA…=x` took quadratic time.
 */
export function normaliseKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/(?<![A-Z])([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export const isSecretKey = (key: string): boolean => {
  const k = normaliseKey(key);
  return KEYS.some((r) => r.key.test(k));
};

/** Values that are references or already redacted, not secrets: kept as they are. */
const keep = (value: string): boolean =>
  value === '' || value.startsWith(MARKER_PREFIX) || /^\$\{[^}]*\}$/.test(value) || /^\{\{.*\}\}$/.test(value);

/**
 * Replaces every secret in `text` with `mark(secret)`, keeping lines, keys,
 * quotes and separators. `path` (resolved) selects exemptions.
 */
export function redactSecrets(text: string, mark: Mark, path = ''): string {
  let out = text;
  for (const r of BLOCKS) out = out.replace(r.pattern, (block) => mark(block));
  for (const r of VALUES) if (!r.paths || r.paths.test(path)) out = replaceGroup(out, r.pattern, mark);
  if (EXEMPT.some((r) => r.path.test(path))) return out;
  return redactAssignments(out, mark);
}

function replaceGroup(text: string, re: RegExp, mark: Mark): string {
  let out = '';
  let at = 0;
  for (const m of text.matchAll(re)) {
    const span = m.indices?.[1];
    if (!span || keep(m[1])) continue;
    out += text.slice(at, span[0]) + mark(m[1]);
    at = span[1];
  }
  return out + text.slice(at);
}

const KEY = String.raw`[A-Za-z_][\w.-]*`;
/**
 * Where a KEY may start: only the first place in a run of key characters (`a-b-c`) that could,
 * since the key runs to the run's end from any of them: without this, `a-a-a-…` (one long line)
 * retried every one and took quadratic time.
 */
const FIRST_IN_RUN = String.raw`(?=[A-Za-z_])(?<=^|[^\w.-]|(?<![\w.-])(?:(?:[\d.]|-(?![A-Za-z_]))(?:[\w.]|-(?![A-Za-z_]))*)?-)`;
/** `"k": "v"`, `k = 'v'`, `k="v"` (XML attributes too), anywhere on a line. */
const QUOTED = new RegExp(String.raw`(?<![\w.])(["']?)${FIRST_IN_RUN}(${KEY})\1(\s*(?::=|=|:)\s*)(["'])((?:\\.|(?!\4)[^\\])*)\4`, 'g');
/** PHP `define('DB_PASSWORD', 'x')` (wp-config.php). */
const DEFINE = /\bdefine\((\s*)(["'])(\w+)\2(\s*,\s*)(["'])((?:\\.|(?!\5)[^\\])*)\5/g;
/** `k = v`, `k: v`, `K=V`, `export K=V`, `- K=V`, `# k = v` (a commented-out password is still one): the rest of the line. */
const ASSIGNMENT = new RegExp(
  String.raw`^(\s*(?:(?:#+|;+|//)\s*)?(?:export\s+|set\s+|-\s+)?)(["']?)(${KEY})\2(\s*(?::=|=|:)\s*)((?:.*\S)?)(\s*)$`,
);
/** `k=v` without spaces inside a line: `--password=x`, `user=a password=b` (libpq), `?token=x&`. */
const INLINE = new RegExp(String.raw`(?<![\w.])${FIRST_IN_RUN}(${KEY})=(?!["'])([^\s"';&]+)`, 'g');
const SPACE_FORM = new RegExp(String.raw`^(\s*)(${KEY})([ \t]+)(\S(?:.*\S)?)(\s*)$`);
const YAML_BLOCK = /^[|>][+-]?\d*[+-]?$/;

/** A value that goes on over the next lines: a YAML block scalar (by indentation) or a TOML/Python `"""` string. */
type Continued = { indent: number } | { closing: string } | undefined;

function redactAssignments(text: string, mark: Mark): string {
  let open: Continued;
  const body = (line: string) => {
    const indent = line.length - line.trimStart().length;
    return line.trim() === '' ? line : line.slice(0, indent) + mark(line.slice(indent));
  };
  return text
    .split('\n')
    .map((raw) => {
      const cr = raw.endsWith('\r') ? '\r' : '';
      const line = cr ? raw.slice(0, -1) : raw;
      const indent = line.length - line.trimStart().length;
      if (open && 'closing' in open) {
        const end = line.indexOf(open.closing);
        if (end < 0) return body(line) + cr;
        open = undefined;
        return (end ? mark(line.slice(0, end)) : '') + line.slice(end) + cr;
      }
      if (open && (line.trim() === '' || indent > open.indent)) return body(line) + cr;
      const result = redactLine(line, mark);
      open = result.continued === 'indent' ? { indent } : result.continued ? { closing: result.continued } : undefined;
      return result.line + cr;
    })
    .join('\n');
}

/** One line's secrets redacted; `continued` says the value goes on: by indentation, or up to a closing `"""`. */
function redactLine(input: string, mark: Mark): { line: string; continued?: string } {
  if (!KEY_HINT.test(input)) return { line: input };
  const value = (key: string, v: string) => (isSecretKey(key) && !keep(v) ? mark(v) : v);
  let line = input.replace(QUOTED, (_m, q1, key, sep, q2, v) => `${q1}${key}${q1}${sep}${q2}${value(key, v)}${q2}`);
  line = line.replace(DEFINE, (_m, sp, q1, key, sep, q2, v) => `define(${sp}${q1}${key}${q1}${sep}${q2}${value(key, v)}${q2}`);
  line = replaceElements(line, (tag, attrs, v) => `<${tag}${attrs}>${value(tag.split(':').pop()!, v)}</${tag}>`);
  const a = ASSIGNMENT.exec(line);
  const triple = a && isSecretKey(a[3]) ? /^("""|''')(.*)$/.exec(a[5]) : null;
  if (a && triple) {
    const [, lead, q, key, sep] = a;
    const [, quotes, rest] = triple;
    const end = rest.indexOf(quotes);
    if (end < 0) return { line: `${lead}${q}${key}${q}${sep}${quotes}${rest && mark(rest)}${a[6]}`, continued: quotes };
    return { line: `${lead}${q}${key}${q}${sep}${quotes}${value(key, rest.slice(0, end))}${rest.slice(end)}${a[6]}` };
  }
  if (a && isSecretKey(a[3]) && !/^["']/.test(a[5])) {
    const [, lead, q, key, sep, v, tail] = a;
    if (YAML_BLOCK.test(v)) return { line, continued: 'indent' };
    // A quoted JSON key with a bare value (`"pin": 1234,`): keep the comma that ends it.
    const comma = q && v.endsWith(',') ? ',' : '';
    const bare = comma ? v.slice(0, -1) : v;
    if (!keep(bare)) return { line: `${lead}${q}${key}${q}${sep}${mark(bare)}${comma}${tail}` };
  }
  line = line.replace(INLINE, (_m, key, v) => `${key}=${value(key, v)}`);
  const s = SPACE_FORM.exec(line);
  if (s && SPACED.some((r) => r.key.test(normaliseKey(s[2]))) && !keep(s[4])) line = `${s[1]}${s[2]}${s[3]}${mark(s[4])}${s[5]}`;
  return { line };
}

const TAG = /[A-Za-z_][\w.:-]*/y;

/**
 * `<tag attrs>value</tag>` elements replaced as `line.replace(/<([A-Za-z_][\w.:-]*)(\s[^>]*)?>([^<]+)<\/\1>/g, …)`
 * would, in linear time: that regex scanned from every `<` to the next `>`, so one line of
 * `<a <a <a …` took quadratic time (an 120 KB line, 8 s).
 */
function replaceElements(line: string, replace: (tag: string, attrs: string, value: string) => string): string {
  let out = '';
  let done = 0;
  // The first `>` at or after the current tag's end, and the first `<` after that `>`: both only move forward.
  let gt = -1;
  let lt = -1;
  for (let s = line.indexOf('<'); s >= 0; s = line.indexOf('<', s + 1)) {
    TAG.lastIndex = s + 1;
    const tag = TAG.exec(line)?.[0];
    if (!tag) continue;
    const end = s + 1 + tag.length;
    if (line[end] !== '>' && !/\s/.test(line[end] ?? '')) continue;
    if (gt < end) gt = line.indexOf('>', end);
    if (gt < 0) break;
    if (lt <= gt) lt = line.indexOf('<', gt + 1);
    if (lt < 0) break;
    if (lt === gt + 1 || !line.startsWith(`</${tag}>`, lt)) continue;
    out += line.slice(done, s) + replace(tag, line.slice(end, gt), line.slice(gt + 1, lt));
    done = lt + tag.length + 3;
    s = done - 1;
  }
  return out + line.slice(done);
}
