import { HOST_DOC_PATH, type WireDoc } from '@mitra/core/dist/base';
import { controlCharacter, type Snapshot } from '../wire';

/**
 * The host document of a full cycle: the paths the cycle sends as present,
 * one per line, sorted (so it changes, and makes history, only when that set
 * does). A path with a control character is left out: a newline in a file
 * name would otherwise add a line of the sender's choosing (a fake
 * `mitra:packages`), and the parser refuses any other control character.
 */
export function hostDocument(snapshots: Snapshot[]): Snapshot {
  const paths = new Set(snapshots.filter((s) => s.state === 'present' && controlCharacter(s.path) === undefined).map((s) => s.path));
  const content = [...paths]
    .sort()
    .map((p) => `${p}\n`)
    .join('');
  return { path: HOST_DOC_PATH, state: 'present', content, stat: { size: Buffer.byteLength(content) } };
}

/**
 * The current host documents among `shipped`, again, without the paths whose current document the cluster
 * refused in the same shipment: a host document must list only what the cluster holds, since host questions
 * take it at its word (a host listing an inventory the cluster never stored would be neither missing a package
 * nor unknown). Leaving out a path that still has an older current document is safe: questions check the hosts
 * a host document points them to. Empty when nothing listed was refused.
 */
export function withoutRefused(shipped: WireDoc[], refused: WireDoc[]): WireDoc[] {
  const out: WireDoc[] = [];
  for (const doc of shipped) {
    if (doc.file.path !== HOST_DOC_PATH || doc.mitra.target !== 'current' || refused.includes(doc)) continue;
    const gone = new Set(
      refused
        .filter((r) => r.host.name === doc.host.name && r.mitra.target === 'current' && r.file.path !== HOST_DOC_PATH)
        .map((r) => r.file.path),
    );
    const lines = (doc.mitra.content ?? '').split('\n').filter(Boolean);
    const kept = lines.filter((p) => !gone.has(p));
    if (kept.length === lines.length) continue;
    const content = kept.map((p) => `${p}\n`).join('');
    out.push({ ...doc, file: { ...doc.file, size: Buffer.byteLength(content) }, mitra: { ...doc.mitra, content } });
  }
  return out;
}
