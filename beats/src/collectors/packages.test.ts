import { PACKAGES_PATH, PackageCollector, type PackageSystem } from './packages';

/** A host with the given commands on PATH, database mtimes a test changes, and scripted command output. */
function fakeSystem(commands: string[], output: Awaited<ReturnType<PackageSystem['run']>>) {
  const mtimes: Record<string, string> = { '/var/lib/dpkg/status': '1', '/host/var/lib/dpkg/status': '1' };
  const runs: string[] = [];
  const system: PackageSystem = {
    onPath: (c) => commands.includes(c),
    mtime: (p) => mtimes[p] ?? '-',
    run: async (command, args) => {
      runs.push([command, ...args].join(' '));
      return output;
    },
  };
  return { system, mtimes, runs };
}

const DPKG = 'bash\t5.2.15-2\tamd64\nopenssl\t3.0.11-1\tamd64\n';
/** What dpkg-query prints for DPKG: each line after its Status. */
const DPKG_OUT = 'install ok installed\tbash\t5.2.15-2\tamd64\nhold ok installed\topenssl\t3.0.11-1\tamd64\n';

describe('PackageCollector (injected system)', () => {
  it('runs dpkg-query without a shell and reuses the list until the database changes', async () => {
    const { system, mtimes, runs } = fakeSystem(['dpkg-query', 'rpm'], { stdout: DPKG_OUT });
    const c = new PackageCollector('auto', '', system);
    const first = await c.collect();
    expect(first).toEqual({ path: PACKAGES_PATH, state: 'present', format: 'dpkg', content: DPKG, stat: { size: DPKG.length } });
    expect(runs).toEqual(['dpkg-query -W -f=${Status}\t${binary:Package}\t${Version}\t${Architecture}\n']);
    expect(await c.collect()).toBe(first);
    expect(runs).toHaveLength(1);
    mtimes['/var/lib/dpkg/status'] = '2';
    await c.collect();
    expect(runs).toHaveLength(2);
  });

  it('sends only installed packages: dpkg-query -W also lists removed ones whose conffiles remain (rc)', async () => {
    const stdout = `${DPKG_OUT}deinstall ok config-files\tfoo\t1.2-3\tamd64\ninstall ok half-installed\tbar\t2.0-1\tamd64\n`;
    const snapshot = await new PackageCollector('dpkg', '', fakeSystem(['dpkg-query'], { stdout }).system).collect();
    expect(snapshot).toEqual({ path: PACKAGES_PATH, state: 'present', format: 'dpkg', content: DPKG, stat: { size: DPKG.length } });
  });

  it('with hostfs: dpkg reads the host database (--admindir), rpm its root (--root)', async () => {
    const dpkg = fakeSystem(['dpkg-query'], { stdout: DPKG });
    await new PackageCollector('dpkg', '/host', dpkg.system).collect();
    expect(dpkg.runs[0]).toMatch(/^dpkg-query --admindir=\/host\/var\/lib\/dpkg -W /);
    const rpm = fakeSystem(['rpm'], { stdout: 'bash\t5.1-1\tx86_64\n' });
    expect(await new PackageCollector('rpm', '/host', rpm.system).collect()).toMatchObject({ format: 'rpm', state: 'present' });
    expect(rpm.runs[0]).toMatch(/^rpm --root \/host -qa --qf /);
  });

  it('a failing or hanging command is an unreadable snapshot naming why, and is tried again next cycle', async () => {
    const failing = fakeSystem(['dpkg-query'], {
      stdout: '',
      error: { killed: false, message: 'exit 2', stderr: 'dpkg-query: error: cannot open status\nmore' },
    });
    const c = new PackageCollector('auto', '', failing.system);
    expect(await c.collect()).toEqual({
      path: PACKAGES_PATH,
      state: 'unreadable',
      format: 'dpkg',
      reason: 'dpkg-query failed: dpkg-query: error: cannot open status',
    });
    await c.collect();
    expect(failing.runs).toHaveLength(2);
    const hanging = fakeSystem(['dpkg-query'], { stdout: '', error: { killed: true, message: 'killed', stderr: '' } });
    expect((await new PackageCollector('auto', '', hanging.system).collect())?.reason).toBe('dpkg-query failed: timed out after 60 s');
  });

  it('off, or auto with no package manager: no snapshot and nothing run', async () => {
    const none = fakeSystem([], { stdout: DPKG });
    expect(await new PackageCollector('auto', '', none.system).collect()).toBeUndefined();
    expect(await new PackageCollector('off', '', fakeSystem(['dpkg-query'], { stdout: DPKG }).system).collect()).toBeUndefined();
    expect(none.runs).toEqual([]);
  });

  it('an explicit source that is not installed still tries it, so the snapshot says why', async () => {
    const { system } = fakeSystem([], { stdout: '', error: { killed: false, message: 'spawn rpm ENOENT', stderr: '' } });
    expect((await new PackageCollector('rpm', '', system).collect())?.reason).toBe('rpm failed: spawn rpm ENOENT');
  });
});
