import { HOST_DOC_PATH } from '@mitra/core/dist/base';
import { toWireDoc, type Snapshot } from '../wire';
import { hostDocument, withoutRefused } from './host';

describe('host document', () => {
  it('lists the present paths once each, sorted, and nothing else', () => {
    const doc = hostDocument([
      { path: '/etc/hosts', state: 'present', content: 'x' },
      { path: 'mitra:packages', state: 'present', content: 'zsh\t5\tamd64\n' },
      { path: '/etc/shadow', state: 'refused' },
      { path: '/etc/resolv.conf', state: 'missing' },
      { path: '/etc/hosts', state: 'present', content: 'x' },
    ]);
    expect(doc).toEqual({
      path: HOST_DOC_PATH,
      state: 'present',
      content: '/etc/hosts\nmitra:packages\n',
      stat: { size: Buffer.byteLength('/etc/hosts\nmitra:packages\n') },
    });
  });

  it('leaves out a file name with a newline, which would otherwise add a line of its own (a fake inventory)', () => {
    const doc = hostDocument([
      { path: '/srv/drop/x\nmitra:packages', state: 'present', content: 'x' },
      { path: '/srv/drop/bell\u0007', state: 'present', content: 'x' },
      { path: '/etc/hosts', state: 'present', content: 'x' },
    ]);
    expect(doc.content).toBe('/etc/hosts\n');
  });

  it('is present and empty when the cycle sent nothing present', () => {
    expect(hostDocument([{ path: '/etc/hosts', state: 'missing' }])).toMatchObject({ state: 'present', content: '' });
  });
});

describe('host document without refused paths', () => {
  const ctx = { host: { name: 'web-01' }, timestamp: '2026-12-02T18:00:00.000Z', tags: [], agentVersion: 'test' };
  const snapshots: Snapshot[] = [
    { path: '/etc/hosts', state: 'present', content: 'x\n' },
    { path: 'mitra:packages', state: 'present', content: 'zsh\t5\tamd64\n', format: 'dpkg' },
  ];
  const [hosts, inventory, hostDoc] = [...snapshots, hostDocument(snapshots)].map((s) => toWireDoc(s, ctx, 'current'));
  const inventoryHistory = toWireDoc(snapshots[1], ctx, 'history');

  it('ships the host document again without the path whose current document was refused', () => {
    const [again] = withoutRefused([hosts, inventory, inventoryHistory, hostDoc], [inventory, inventoryHistory]);
    expect(again.mitra.content).toBe('/etc/hosts\n');
    expect(again.file).toEqual({ path: HOST_DOC_PATH, size: Buffer.byteLength('/etc/hosts\n') });
    expect(again.mitra.agent).toEqual(hostDoc.mitra.agent);
    // The shipped document is left as it was (it may be in a spool file).
    expect(hostDoc.mitra.content).toBe('/etc/hosts\nmitra:packages\n');
  });

  it('leaves it alone when only a history document, another host, or nothing was refused', () => {
    expect(withoutRefused([hosts, inventory, inventoryHistory, hostDoc], [inventoryHistory])).toEqual([]);
    const other = toWireDoc(snapshots[1], { ...ctx, host: { name: 'web-02' } }, 'current');
    expect(withoutRefused([hosts, inventory, hostDoc, other], [other])).toEqual([]);
    expect(withoutRefused([hosts, inventory, hostDoc], [])).toEqual([]);
  });

  it('sends nothing again when the host document itself was refused', () => {
    expect(withoutRefused([hosts, inventory, hostDoc], [inventory, hostDoc])).toEqual([]);
  });
});
