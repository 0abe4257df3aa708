import { readdirSync } from 'node:fs';
import { posix } from 'node:path';

/**
 * Just enough glob for file lists: `*`, `?` and `[...]` inside one path
 * segment, `**` for any number of segments. Paths are absolute and POSIX.
 */
export const hasGlob = (pattern: string): boolean => /[*?[]/.test(pattern);

export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      // "/**/" also matches "/" so /etc/**/x.conf finds /etc/x.conf.
      if (pattern[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        const body = pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  // s: `**` (.*) matches names with a newline in them too, as `*` ([^/]*) does.
  return new RegExp(`^${out}$`, 's');
}

/** Matches after which a glob's walk stops (directories not yet walked are left out). */
export const GLOB_LIMIT = 10_000;

export const matchesAny = (path: string, patterns: RegExp[]): boolean => patterns.some((p) => p.test(path));

/**
 * Expands a pattern against the file system under `root` (the hostfs mount,
 * or "" for this host). Returns host-visible paths, sorted. Walks only the
 * directories the pattern can reach; `**` walks are bounded by `limit`, and
 * `onLimit` is told when the walk stopped there (some matches are left out).
 * A name that is not valid UTF-8 cannot be a path in a document (text): it is
 * left out and told to `onBadName` (shown with U+FFFD), never read under a
 * name that does not exist (which would report the file missing).
 */
export function expandGlob(
  pattern: string,
  root = '',
  limit = GLOB_LIMIT,
  onLimit?: () => void,
  onBadName?: (path: string) => void,
): string[] {
  const re = globToRegExp(pattern);
  const segments = pattern.split('/').filter(Boolean);
  const firstGlob = segments.findIndex(hasGlob);
  const base = `/${segments.slice(0, firstGlob).join('/')}`;
  const recursive = pattern.includes('**');
  const maxDepth = recursive ? 32 : segments.length - firstGlob;
  const found: string[] = [];
  let stopped = false;
  const walk = (dir: string, depth: number): void => {
    if (depth > maxDepth) return;
    if (found.length >= limit) {
      stopped = true;
      return;
    }
    let entries;
    try {
      entries = readdirSync(root + dir, { withFileTypes: true, encoding: 'buffer' });
    } catch {
      return; // a directory we cannot list simply contributes nothing
    }
    for (const entry of entries) {
      const name = entry.name.toString('utf8');
      const path = posix.join(dir, name);
      if (!Buffer.from(name, 'utf8').equals(entry.name)) {
        if (re.test(path) || (entry.isDirectory() && depth < maxDepth)) onBadName?.(path);
        continue;
      }
      if (!entry.isDirectory() && re.test(path)) found.push(path);
      if (entry.isDirectory() && depth < maxDepth) walk(path, depth + 1);
    }
  };
  walk(base, 1);
  if (stopped) onLimit?.();
  return found.sort();
}
