/** The distributions a simulated host can run, with what their files really look like. */
export interface Distro {
  key: string;
  family: 'dpkg' | 'rpm';
  osRelease: string;
  os: { id: string; versionId: string; prettyName: string };
  /** Kernel release template and /proc/version line. */
  kernels: readonly KernelSpec[];
  openssl: string;
  /** Upstream major.minor of openssl, to compute version-range truth without the code under test. */
  opensslSeries: number;
  zsh: string;
  rootFs: 'ext4' | 'xfs';
}

export interface KernelSpec {
  release: (n: number) => string;
  line: (release: string) => string;
}

const ubuntuLine = (gcc: string) => (r: string) =>
  `Linux version ${r} (buildd@lcy02-amd64-${r.length % 90}) (${gcc}) #${r.split('-')[1] ?? 1}-Ubuntu SMP Fri Apr 16 09:57:56 UTC 2021`;
const centosLine = (r: string) =>
  `Linux version ${r} (mockbuild@kbuilder.bsys.centos.org) (gcc version 4.8.5 20150623 (Red Hat 4.8.5-44) (GCC) ) #1 SMP Thu Dec 7 15:39:45 UTC 2023`;
const debianLine = (gcc: string) => (r: string) =>
  `Linux version ${r} (debian-kernel@lists.debian.org) (${gcc}) #1 SMP PREEMPT_DYNAMIC Debian ${r.split('-')[0]}-1 (2023-09-29)`;
const customLine = (r: string) => `Linux version ${r} (builder@kernel-ci) (gcc (GCC) 10.2.1 20210130) #1 SMP Mon Jan 8 10:00:00 UTC 2024`;

export const KERNEL_4_14: KernelSpec = { release: (n) => `4.14.${300 + n}-1.el7.x86_64`, line: customLine };
/** A fake 4.40 kernel: "4.4" must never match it. */
export const KERNEL_4_40: KernelSpec = { release: (n) => `4.40.${n}-custom`, line: customLine };
export const KERNEL_4_19: KernelSpec = {
  release: (n) => `4.19.0-${20 + n}-amd64`,
  line: debianLine('gcc version 8.3.0 (Debian 8.3.0-6)'),
};

const osRelease = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${k}=${/^[a-z0-9.]+$/.test(v) && k !== 'PRETTY_NAME' && k !== 'NAME' ? v : `"${v}"`}`)
    .join('\n') + '\n';

export const DISTROS: readonly Distro[] = [
  {
    key: 'centos7',
    family: 'rpm',
    os: { id: 'centos', versionId: '7', prettyName: 'CentOS Linux 7 (Core)' },
    osRelease: osRelease({
      NAME: 'CentOS Linux',
      VERSION: '7 (Core)',
      ID: 'centos',
      ID_LIKE: 'rhel fedora',
      VERSION_ID: '7',
      PRETTY_NAME: 'CentOS Linux 7 (Core)',
    }),
    kernels: [{ release: (n) => `3.10.0-${1160 + n}.el7.x86_64`, line: centosLine }, KERNEL_4_14],
    openssl: '1.0.2k-26.el7_9',
    opensslSeries: 1.0,
    zsh: '5.0.2-34.el7_8.2',
    rootFs: 'xfs',
  },
  {
    key: 'ubuntu16.04',
    family: 'dpkg',
    os: { id: 'ubuntu', versionId: '16.04', prettyName: 'Ubuntu 16.04.7 LTS' },
    osRelease: osRelease({
      NAME: 'Ubuntu',
      VERSION: '16.04.7 LTS (Xenial Xerus)',
      ID: 'ubuntu',
      ID_LIKE: 'debian',
      PRETTY_NAME: 'Ubuntu 16.04.7 LTS',
      VERSION_ID: '16.04',
      VERSION_CODENAME: 'xenial',
    }),
    kernels: [
      { release: (n) => `4.4.0-${200 + n}-generic`, line: ubuntuLine('gcc version 5.4.0 20160609 (Ubuntu 5.4.0-6ubuntu1~16.04.12)') },
    ],
    openssl: '1.0.2g-1ubuntu4.20',
    opensslSeries: 1.0,
    zsh: '5.1.1-1ubuntu2.3',
    rootFs: 'ext4',
  },
  {
    key: 'ubuntu20.04',
    family: 'dpkg',
    os: { id: 'ubuntu', versionId: '20.04', prettyName: 'Ubuntu 20.04.6 LTS' },
    osRelease: osRelease({
      NAME: 'Ubuntu',
      VERSION: '20.04.6 LTS (Focal Fossa)',
      ID: 'ubuntu',
      ID_LIKE: 'debian',
      PRETTY_NAME: 'Ubuntu 20.04.6 LTS',
      VERSION_ID: '20.04',
      VERSION_CODENAME: 'focal',
    }),
    kernels: [{ release: (n) => `5.4.0-${150 + n}-generic`, line: ubuntuLine('gcc version 9.4.0 (Ubuntu 9.4.0-1ubuntu1~20.04.2)') }],
    openssl: '1.1.1f-1ubuntu2.20',
    opensslSeries: 1.1,
    zsh: '5.8-3ubuntu1.1',
    rootFs: 'ext4',
  },
  {
    key: 'ubuntu22.04',
    family: 'dpkg',
    os: { id: 'ubuntu', versionId: '22.04', prettyName: 'Ubuntu 22.04.4 LTS' },
    osRelease: osRelease({
      NAME: 'Ubuntu',
      VERSION: '22.04.4 LTS (Jammy Jellyfish)',
      ID: 'ubuntu',
      ID_LIKE: 'debian',
      PRETTY_NAME: 'Ubuntu 22.04.4 LTS',
      VERSION_ID: '22.04',
      VERSION_CODENAME: 'jammy',
    }),
    kernels: [
      { release: (n) => `5.15.0-${90 + n}-generic`, line: ubuntuLine('gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0') },
      { release: (n) => `6.5.0-${10 + n}-generic`, line: ubuntuLine('gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0') },
    ],
    openssl: '3.0.2-0ubuntu1.15',
    opensslSeries: 3.0,
    zsh: '5.8.1-1',
    rootFs: 'ext4',
  },
  {
    key: 'debian11',
    family: 'dpkg',
    os: { id: 'debian', versionId: '11', prettyName: 'Debian GNU/Linux 11 (bullseye)' },
    osRelease: osRelease({
      PRETTY_NAME: 'Debian GNU/Linux 11 (bullseye)',
      NAME: 'Debian GNU/Linux',
      VERSION_ID: '11',
      VERSION: '11 (bullseye)',
      VERSION_CODENAME: 'bullseye',
      ID: 'debian',
    }),
    kernels: [
      {
        release: (n) => `5.10.0-${20 + n}-amd64`,
        line: debianLine('gcc-10 (Debian 10.2.1-6) 10.2.1 20210110, GNU ld (GNU Binutils for Debian) 2.35.2'),
      },
      KERNEL_4_19,
    ],
    openssl: '1.1.1w-0+deb11u1',
    opensslSeries: 1.1,
    zsh: '5.8-6+deb11u1',
    rootFs: 'ext4',
  },
  {
    key: 'debian12',
    family: 'dpkg',
    os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
    osRelease: osRelease({
      PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)',
      NAME: 'Debian GNU/Linux',
      VERSION_ID: '12',
      VERSION: '12 (bookworm)',
      VERSION_CODENAME: 'bookworm',
      ID: 'debian',
    }),
    kernels: [
      {
        release: (n) => `6.1.0-${10 + n}-amd64`,
        line: debianLine('gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40'),
      },
    ],
    openssl: '3.0.11-1~deb12u2',
    opensslSeries: 3.0,
    zsh: '5.9-4+b2',
    rootFs: 'ext4',
  },
];

export const DISTRO_WEIGHTS: readonly (readonly [Distro, number])[] = DISTROS.map(
  (d) => [d, d.key === 'centos7' ? 20 : d.key === 'debian12' ? 10 : 17.5] as const,
);

/** Package names every host of a family has (besides openssl and zsh, handled apart). */
export const BASE_PACKAGES: Record<Distro['family'], readonly string[]> = {
  dpkg: [
    'bash',
    'coreutils',
    'curl',
    'systemd',
    'openssh-server',
    'sudo',
    'tzdata',
    'ca-certificates',
    'python3',
    'libc6',
    'vim',
    'less',
    'gzip',
    'tar',
    'procps',
  ],
  rpm: [
    'bash',
    'coreutils',
    'curl',
    'systemd',
    'openssh-server',
    'sudo',
    'tzdata',
    'ca-certificates',
    'python3',
    'glibc',
    'vim-enhanced',
    'less',
    'gzip',
    'tar',
    'procps-ng',
  ],
};

/** Filler library names, so inventories have a realistic 100-200 entries. */
export const FILLER_WORDS = [
  'acl',
  'attr',
  'audit',
  'blkid',
  'bz2',
  'cap',
  'com-err',
  'crypt',
  'curl',
  'db',
  'dbus',
  'expat',
  'ffi',
  'gcrypt',
  'gdbm',
  'gmp',
  'gnutls',
  'gpg-error',
  'gssapi',
  'hogweed',
  'idn2',
  'k5crypto',
  'keyutils',
  'krb5',
  'lz4',
  'lzma',
  'magic',
  'mount',
  'ncurses',
  'nettle',
  'nghttp2',
  'p11-kit',
  'pam',
  'pcre',
  'popt',
  'psl',
  'readline',
  'rtmp',
  'sasl',
  'seccomp',
  'selinux',
  'semanage',
  'sepol',
  'smartcols',
  'sqlite',
  'ssh',
  'tasn1',
  'tinfo',
  'udev',
  'unistring',
  'uuid',
  'xml2',
  'xxhash',
  'yaml',
  'zstd',
  'z',
  'json-c',
  'jansson',
  'event',
  'elf',
];
