import { collectSysctl, keyToPath, SYSCTL_PATH, type SysctlFs } from './sysctl';

/** A /proc/sys tree in memory: path → value (a string), or an error code; mode 0o200 marks write-only entries. */
function fakeFs(files: Record<string, string | { code: string } | { mode: number; value: string }>): SysctlFs {
  const entry = (path: string) => files[path];
  const children = (dir: string) => {
    const names = new Map<string, boolean>();
    for (const p of Object.keys(files)) {
      if (!p.startsWith(`${dir}/`)) continue;
      const [head, ...rest] = p.slice(dir.length + 1).split('/');
      names.set(head, rest.length > 0 || (names.get(head) ?? false));
    }
    return [...names].map(([name, isDir]) => ({ name, isDirectory: () => isDir, isFile: () => !isDir }));
  };
  return {
    readFileSync(path) {
      const e = entry(path);
      if (e === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      if (typeof e === 'object' && 'code' in e) throw Object.assign(new Error(e.code), { code: e.code });
      return Buffer.from(typeof e === 'string' ? e : e.value);
    },
    readdirSync(path) {
      const list = children(path);
      if (!list.length) throw Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR' });
      return list;
    },
    statSync(path) {
      const e = entry(path);
      return { mode: typeof e === 'object' && 'mode' in e ? e.mode : 0o644 };
    },
  };
}

const root = '/host/proc/sys';
const tree = fakeFs({
  [`${root}/vm/swappiness`]: '60\n',
  [`${root}/net/ipv4/ip_forward`]: '1\n',
  [`${root}/net/ipv4/conf/eth0.100/rp_filter`]: '2\n',
  [`${root}/kernel/random/uuid`]: 'b1a9…\n',
  [`${root}/vm/compact_memory`]: { mode: 0o200, value: '' },
  [`${root}/kernel/printk`]: '4\t4\t1\t7\n',
  [`${root}/kernel/multi`]: 'line one\n  line two\n',
  [`${root}/kernel/secret`]: { code: 'EACCES' },
});

describe('collectSysctl (injected file system)', () => {
  it('a key list: key = value lines in the order asked; an absent or unreadable key is skipped and reported', () => {
    const skipped: string[] = [];
    const s = collectSysctl(
      { mode: 'keys', keys: ['vm.swappiness', 'net.ipv4.ip_forward', 'vm.nope', 'kernel.secret'] },
      '/host',
      (key, why) => skipped.push(`${key}: ${why}`),
      tree,
    );
    expect(s).toEqual({
      path: SYSCTL_PATH,
      state: 'present',
      format: 'sysctl',
      content: 'vm.swappiness = 60\nnet.ipv4.ip_forward = 1\n',
      stat: { size: 43 },
    });
    expect(skipped).toEqual(['vm.nope: ENOENT', 'kernel.secret: EACCES']);
  });

  it('all: every readable, non-volatile setting, sorted; write-only and volatile entries left out; multi-line values folded', () => {
    const s = collectSysctl({ mode: 'all' }, '/host', () => {}, tree);
    expect(s?.content).toBe(
      [
        'kernel.multi = line one line two',
        'kernel.printk = 4\t4\t1\t7',
        // sysctl(8)'s spelling: the dot inside eth0.100 becomes "/" (it was read from .../eth0.100/rp_filter).
        'net.ipv4.conf.eth0/100.rp_filter = 2',
        'net.ipv4.ip_forward = 1',
        'vm.swappiness = 60',
        '',
      ].join('\n'),
    );
  });

  it('a key with a dot in a path component is given as a path (eth0.100)', () => {
    expect(keyToPath('net/ipv4/conf/eth0.100/rp_filter')).toBe('net/ipv4/conf/eth0.100/rp_filter');
    const s = collectSysctl({ mode: 'keys', keys: ['net/ipv4/conf/eth0.100/rp_filter'] }, '/host', () => {}, tree);
    expect(s?.content).toBe('net/ipv4/conf/eth0.100/rp_filter = 2\n');
  });

  it('off: no snapshot; nothing readable: an empty present snapshot', () => {
    expect(collectSysctl({ mode: 'off' }, '/host', () => {}, tree)).toBeUndefined();
    expect(collectSysctl({ mode: 'keys', keys: ['vm.nope'] }, '/host', () => {}, tree)).toMatchObject({ content: '', stat: { size: 0 } });
  });
});
