import { posix } from 'node:path';
import { WIRE_BOUNDS } from '@mitra/core/dist/base';
import type { AgentConfig } from './config';
import { expandGlob, GLOB_LIMIT, globToRegExp, hasGlob, matchesAny } from './glob';
import { controlCharacter } from './wire';

/** Paths polled every cycle and never watched: their content changes without file events. */
export const isPolled = (path: string): boolean => path.startsWith('/proc/') || path.startsWith('/sys/');

/**
 * Which files a cycle reads: configured paths (absent ones too: they become
 * `missing` snapshots) plus whatever the globs match now, filtered by
 * include/exclude. Host-visible paths, in configuration order. `warn` hears
 * of a glob whose walk stopped at GLOB_LIMIT matches, leaving files out, and
 * of a name that is not valid UTF-8 or has a control character (left out).
 */
export function expandFiles(
  config: Pick<AgentConfig, 'files' | 'include' | 'exclude' | 'hostfs'>,
  warn?: (line: string) => void,
): string[] {
  const seen = new Set<string>();
  for (const pattern of config.files) {
    const stopped = () =>
      warn?.(
        `files: ${pattern} matches ${GLOB_LIMIT} files or more; its walk stopped there and files in directories not yet walked are not read: narrow the pattern or list its directories as separate globs`,
      );
    const badName = (path: string) =>
      warn?.(
        `files: ${JSON.stringify(path)} (matched by ${pattern}) has a name that is not valid UTF-8: not read; rename it to collect it`,
      );
    for (const path of hasGlob(pattern) ? expandGlob(pattern, config.hostfs, GLOB_LIMIT, stopped, badName) : [pattern]) seen.add(path);
  }
  return [...seen].filter((p) => selected(p, config) && shippable(p, warn));
}

// A walk can list a longer path than open() takes, and the pipeline refuses it.
const MAX_PATH_BYTES = WIRE_BOUNDS.pathBytes;

/** False, and `warn` told why, for a path the snapshot pipeline would refuse as a document's file.path. */
export function shippable(path: string, warn?: (line: string) => void): boolean {
  const code = controlCharacter(path);
  if (code !== undefined) {
    warn?.(
      `files: ${JSON.stringify(path)} has a control character in its name (code ${code}), which the snapshot pipeline refuses: not read; rename it to collect it`,
    );
    return false;
  }
  const bytes = Buffer.byteLength(path);
  if (bytes <= MAX_PATH_BYTES) return true;
  warn?.(
    `files: ${JSON.stringify(path.slice(0, 80))}… is ${bytes} bytes long, and the snapshot pipeline takes paths of at most ${MAX_PATH_BYTES} bytes (PATH_MAX): not read`,
  );
  return false;
}

const selected = (path: string, config: Pick<AgentConfig, 'include' | 'exclude'>): boolean =>
  (!config.include.length || matchesAny(path, config.include)) && !matchesAny(path, config.exclude);

/** Whether a path that changed on disk is one the configuration asks for. */
export function isConfigured(path: string, config: Pick<AgentConfig, 'files' | 'include' | 'exclude'>): boolean {
  const hit = config.files.some((pattern) => (hasGlob(pattern) ? globToRegExp(pattern).test(path) : pattern === path));
  return hit && selected(path, config);
}

/**
 * The directories to watch (real paths, hostfs included) and, for each, which
 * names in it matter: the regular files read this cycle, and anything a
 * last-segment glob (/etc/sysctl.d/*.conf) could match, so new files are seen too.
 */
export function watchPlan(config: Pick<AgentConfig, 'files' | 'hostfs'>, files: string[]): Map<string, (name: string) => boolean> {
  const names = new Map<string, Set<string>>();
  const patterns = new Map<string, RegExp[]>();
  for (const path of files.filter((p) => !isPolled(p))) {
    const dir = posix.dirname(path);
    if (!names.has(dir)) names.set(dir, new Set());
    names.get(dir)!.add(posix.basename(path));
  }
  for (const pattern of config.files.filter((p) => hasGlob(p) && !isPolled(p))) {
    const dir = posix.dirname(pattern);
    if (hasGlob(dir)) continue; // deep globs: their current matches are watched above
    patterns.set(dir, [...(patterns.get(dir) ?? []), globToRegExp(pattern)]);
  }
  const plan = new Map<string, (name: string) => boolean>();
  for (const dir of new Set([...names.keys(), ...patterns.keys()])) {
    const exact = names.get(dir) ?? new Set<string>();
    const globs = patterns.get(dir) ?? [];
    plan.set(config.hostfs + dir, (name) => exact.has(name) || globs.some((re) => re.test(posix.join(dir, name))));
  }
  return plan;
}
