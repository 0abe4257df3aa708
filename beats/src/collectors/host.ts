import { HOST_DOC_PATH } from '@mitra/core/dist/base';
import type { Snapshot } from '../wire';

/**
 * The host document of a full cycle: the paths the cycle sends as present,
 * one per line, sorted (so it changes, and makes history, only when that set
 * does). A path with a control character is left out: a newline in a file
 * name would otherwise add a line of the sender's choosing (a fake
 * `mitra:packages`), and the parser refuses any other control character.
 */
export function hostDocument(snapshots: Snapshot[]): Snapshot {
  const paths = new Set(snapshots.filter((s) => s.state === 'present' && !hasControl(s.path)).map((s) => s.path));
  const content = [...paths]
    .sort()
    .map((p) => `${p}\n`)
    .join('');
  return { path: HOST_DOC_PATH, state: 'present', content, stat: { size: Buffer.byteLength(content) } };
}

// eslint-disable-next-line no-control-regex
const hasControl = (path: string): boolean => /[\u0000-\u001f\u007f]/.test(path);
