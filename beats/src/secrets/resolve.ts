import { lstatSync, readlinkSync, realpathSync } from 'node:fs';

const MAX_LINKS = 40; // Linux's own limit (ELOOP)

/**
 * What a host-visible path really names: `.`, `..`, `//` and every symlink
 * resolved, as the host sees it. Under a hostfs root, links are followed
 * inside that root (an absolute target restarts at the root, `..` stops
 * there), as the host itself would, instead of escaping into the agent's
 * own file system. Throws the file system's error (ENOENT, ELOOP, EACCES...).
 */
export function resolveHostPath(path: string, root: string): string {
  if (!root) return realpathSync.native(path);
  const done: string[] = [];
  const todo = path.split('/').filter(Boolean);
  let links = 0;
  while (todo.length) {
    const name = todo.shift()!;
    if (name === '.') continue;
    if (name === '..') {
      done.pop();
      continue;
    }
    const here = `/${[...done, name].join('/')}`;
    if (!lstatSync(root + here).isSymbolicLink()) {
      done.push(name);
      continue;
    }
    if (++links > MAX_LINKS) throw Object.assign(new Error(`too many levels of symbolic links: ${path}`), { code: 'ELOOP' });
    const target = readlinkSync(root + here);
    if (target.startsWith('/')) done.length = 0;
    todo.unshift(...target.split('/').filter(Boolean));
  }
  return `/${done.join('/')}`;
}
