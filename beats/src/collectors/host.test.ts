import { HOST_DOC_PATH } from '@mitra/core/dist/base';
import { hostDocument } from './host';

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
