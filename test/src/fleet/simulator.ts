import { DISTRO_WEIGHTS, DISTROS, BASE_PACKAGES, FILLER_WORDS, KERNEL_4_14, KERNEL_4_40, type Distro, type KernelSpec } from './distros';
import { Random, hostSeed } from './random';
import { HOST_DOC_PATH, OPEN_UNTIL, type Target } from '@mitra/core';

/**
 * A deterministic simulated fleet. Every host is generated from (seed, index)
 * alone, so a 10,000-host fleet is produced host by host with bounded memory,
 * and the same host always looks the same. A host is a set of files, each a
 * list of versions over time; wire-format documents (what an agent posts) and
 * the ground truth the tests compare against are both derived from it.
 *
 * Edge hosts, by index (present in any fleet of at least 12 hosts):
 *   0 kernel 4.4 (Ubuntu 16.04)   1 fake kernel 4.40   2 kernel 4.14
 *   3 no package inventory        4 /etc/hosts exactly 4096 bytes
 *   5 /etc/hosts 4097 bytes       6 /etc/hosts 4095 bytes
 *   7 stale: last seen 5 days ago 8 /etc/resolv.conf went missing
 *   9 zsh-common but not zsh      10 zsh and zsh-common
 *   11 sysctl.conf says swappiness 10, live value 60 (live must win)
 *
 * Every host runs the agent: it sends the host document (HOST_DOC_PATH) and
 * stamps every document with `mitra.agent.host_doc`.
 */
export interface FleetOptions {
  hosts: number;
  seed?: number;
  /** Days of history before `now`. */
  days?: number;
  now?: Date;
}

export interface FileVersion {
  at: string;
  /** null: the file went missing at `at`. */
  content: string | null;
}

export interface SimFile {
  path: string;
  format?: string;
  versions: FileVersion[];
}

export interface SimHost {
  name: string;
  distro: Distro;
  kernel: { release: string; majorMinor: string };
  /** Installed packages (name → version), or null when the host sends no inventory. */
  packages: Map<string, string> | null;
  /** Live sysctl values (mitra:sysctl), or null when the host sends none. */
  sysctlLive: Record<string, string> | null;
  /** /etc/sysctl.conf values, or null when the host has no such file. */
  sysctlConf: Record<string, string> | null;
  files: SimFile[];
  /** Last time the host sent anything: the @timestamp of its current-state documents. */
  lastSeen: string;
}

export const AGENT_VERSION = 'sim-1.0.0';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const hostName = (i: number): string => `host-${String(i).padStart(5, '0')}`;

export function simulateHost(index: number, opts: FleetOptions): SimHost {
  const rnd = new Random(hostSeed(opts.seed ?? 42, index));
  const now = (opts.now ?? new Date()).getTime();
  const days = opts.days ?? 3;
  const lastSeen = index === 7 ? now - 5 * DAY : now - rnd.int(0, 10 * 60_000);
  const start = lastSeen - days * DAY;
  const at = (fraction: number) => new Date(Math.round(start + fraction * (lastSeen - start))).toISOString();

  const distro = index === 0 ? DISTROS.find((d) => d.key === 'ubuntu16.04')! : rnd.weighted(DISTRO_WEIGHTS);
  const kernelSpec: KernelSpec =
    index === 1 ? KERNEL_4_40 : index === 2 ? KERNEL_4_14 : rnd.chance(0.04) ? KERNEL_4_40 : rnd.pick(distro.kernels);
  const release = kernelSpec.release(rnd.int(1, 60));
  const kernel = { release, majorMinor: /^\d+\.\d+/.exec(release)![0] };

  const packages = index === 3 || (index > 11 && rnd.chance(0.03)) ? null : packageSet(rnd, distro, index);
  const swappiness =
    index === 11
      ? '60'
      : rnd.weighted([
          ['0', 5],
          ['1', 10],
          ['10', 20],
          ['30', 10],
          ['60', 55],
        ] as const);
  const sysctlLive = index !== 11 && rnd.chance(0.1) ? null : liveSysctl(rnd, swappiness);
  const sysctlConf = index === 11 ? { 'vm.swappiness': '10' } : rnd.chance(0.4) ? { 'vm.swappiness': rnd.pick(['1', '10', '60']) } : null;

  const files: SimFile[] = [
    { path: '/proc/version', versions: [{ at: at(0), content: `${kernelSpec.line(release)}\n` }] },
    { path: '/etc/os-release', versions: [{ at: at(0), content: distro.osRelease }] },
    { path: '/etc/hosts', versions: hostsVersions(rnd, index, at) },
    { path: '/etc/fstab', versions: fstabVersions(rnd, distro, at) },
    { path: '/etc/resolv.conf', versions: resolvVersions(rnd, index, at) },
    {
      path: '/proc/loadavg',
      versions: [
        { at: at(0), content: `${rnd.int(0, 400) / 100} 0.50 0.40 ${rnd.int(1, 4)}/${rnd.int(150, 900)} ${rnd.int(1000, 99999)}\n` },
      ],
    },
  ];
  if (packages) files.push({ path: 'mitra:packages', format: distro.family, versions: packageVersions(rnd, packages, at) });
  if (sysctlLive) files.push({ path: 'mitra:sysctl', format: 'sysctl', versions: sysctlVersions(rnd, sysctlLive, at) });
  if (sysctlConf) files.push({ path: '/etc/sysctl.conf', versions: [{ at: at(0), content: renderSysctl(sysctlConf, true) }] });
  files.push({ path: HOST_DOC_PATH, versions: hostDocVersions(files) });
  return { name: hostName(index), distro, kernel, packages, sysctlLive, sysctlConf, files, lastSeen: new Date(lastSeen).toISOString() };
}

/** The host document as the agent writes it: the paths present, a new version whenever that set changes. */
function hostDocVersions(files: SimFile[]): FileVersion[] {
  const times = [...new Set(files.flatMap((f) => f.versions.map((v) => v.at)))].sort();
  const out: FileVersion[] = [];
  for (const at of times) {
    const present = files.filter((f) => typeof [...f.versions].reverse().find((v) => v.at <= at)?.content === 'string').map((f) => f.path);
    const content = present
      .sort()
      .map((p) => `${p}\n`)
      .join('');
    if (out[out.length - 1]?.content !== content) out.push({ at, content });
  }
  return out;
}

function packageSet(rnd: Random, distro: Distro, index: number): Map<string, string> {
  const pkgs = new Map<string, string>();
  for (const name of BASE_PACKAGES[distro.family]) pkgs.set(name, `${rnd.int(1, 9)}.${rnd.int(0, 20)}-${rnd.int(1, 5)}`);
  pkgs.set('openssl', distro.openssl);
  const zsh = index === 10 || (index !== 9 && rnd.chance(0.5));
  if (zsh) pkgs.set('zsh', distro.zsh);
  // zsh-common without zsh: the near miss a substring match would get wrong.
  const zshCommon = distro.family === 'dpkg' && (index === 9 || index === 10 || (zsh ? rnd.chance(0.9) : rnd.chance(0.2)));
  if (zshCommon) pkgs.set('zsh-common', distro.zsh);
  const filler = rnd.int(90, 180);
  for (let i = 0; i < filler; i++) {
    const word = FILLER_WORDS[i % FILLER_WORDS.length];
    const name =
      distro.family === 'dpkg'
        ? `lib${word}${Math.floor(i / FILLER_WORDS.length) + 1}`
        : `${word}-libs${Math.floor(i / FILLER_WORDS.length) || ''}`;
    pkgs.set(name, `${rnd.int(0, 9)}.${rnd.int(0, 30)}.${rnd.int(0, 9)}-${rnd.int(1, 9)}`);
  }
  return pkgs;
}

export function renderPackages(pkgs: Map<string, string>): string {
  return [...pkgs].map(([name, version]) => `${name}\t${version}\tamd64`).join('\n') + '\n';
}

/** The inventory changes once on some hosts: a package (curl) upgraded. */
function packageVersions(rnd: Random, final: Map<string, string>, at: (f: number) => string): FileVersion[] {
  if (!rnd.chance(0.2)) return [{ at: at(0), content: renderPackages(final) }];
  const before = new Map(final);
  before.set('curl', '0.1-1');
  return [
    { at: at(0), content: renderPackages(before) },
    { at: at(rnd.int(20, 80) / 100), content: renderPackages(final) },
  ];
}

function liveSysctl(rnd: Random, swappiness: string): Record<string, string> {
  return {
    'vm.swappiness': swappiness,
    'vm.dirty_ratio': String(rnd.pick([10, 20, 40])),
    'vm.overcommit_memory': String(rnd.pick([0, 0, 0, 1])),
    'net.core.somaxconn': String(rnd.pick([128, 4096])),
    'net.ipv4.ip_forward': String(rnd.pick([0, 1])),
    'kernel.pid_max': String(rnd.pick([32768, 4194304])),
    'fs.file-max': String(rnd.int(100_000, 9_000_000)),
  };
}

export function renderSysctl(values: Record<string, string>, withComment = false): string {
  const head = withComment ? '# /etc/sysctl.conf - Configuration file for setting system variables\n' : '';
  return (
    head +
    Object.entries(values)
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n') +
    '\n'
  );
}

/** A quarter of hosts changed vm.swappiness during the simulated days; the final value is the live one. */
function sysctlVersions(rnd: Random, final: Record<string, string>, at: (f: number) => string): FileVersion[] {
  if (!rnd.chance(0.25)) return [{ at: at(0), content: renderSysctl(final) }];
  const before = { ...final, 'vm.swappiness': final['vm.swappiness'] === '60' ? '30' : '60' };
  return [
    { at: at(0), content: renderSysctl(before) },
    { at: at(rnd.int(10, 90) / 100), content: renderSysctl(final) },
  ];
}

/** /etc/hosts of an exact byte size: address lines, then a comment that pads to the size. */
export function hostsFile(size: number, seedLine: number): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  let text = lines.join('\n') + '\n';
  for (let i = 0; ; i++) {
    const line = `10.${(seedLine + i) % 250}.${i % 250}.${(i * 7) % 250}\tsrv-${seedLine}-${i}.example.internal srv-${seedLine}-${i}\n`;
    if (text.length + line.length + 3 > size) break;
    text += line;
  }
  const pad = size - text.length - 2; // "#" + padding + "\n"
  return text + '#' + 'x'.repeat(Math.max(0, pad)) + '\n';
}

function hostsVersions(rnd: Random, index: number, at: (f: number) => string): FileVersion[] {
  const exact: Record<number, number> = { 4: 4096, 5: 4097, 6: 4095 };
  const finalSize = exact[index] ?? rnd.int(3000, 5200);
  const final = hostsFile(finalSize, index);
  if (!rnd.chance(0.3)) return [{ at: at(0), content: final }];
  return [
    { at: at(0), content: hostsFile(finalSize - rnd.int(200, 900), index) },
    { at: at(rnd.int(10, 90) / 100), content: final },
  ];
}

function fstab(rootFs: string, dataFs: string | null): string {
  const lines = [
    '# /etc/fstab: static file system information.',
    '# <file system> <mount point> <type> <options> <dump> <pass>',
    `UUID=6a1c5c8e-3f0e-4b8e-9a61-5b2c0c1d2e3f /     ${rootFs} defaults,errors=remount-ro 0 1`,
    'UUID=1B2C-3D4E  /boot/efi  vfat  umask=0077  0 1',
    '/swapfile none swap sw 0 0',
  ];
  if (dataFs) lines.push(`/dev/sdb1 /data ${dataFs} defaults,noatime 0 2`);
  return lines.join('\n') + '\n';
}

/** Some hosts gain a /data mount during the simulated days: fstab history with a real change. */
function fstabVersions(rnd: Random, distro: Distro, at: (f: number) => string): FileVersion[] {
  const rootFs = rnd.chance(0.9) ? distro.rootFs : distro.rootFs === 'xfs' ? 'ext4' : 'xfs';
  const dataFs = rnd.chance(0.5) ? rnd.pick(['ext4', 'xfs']) : null;
  if (!rnd.chance(0.3)) return [{ at: at(0), content: fstab(rootFs, dataFs) }];
  return [
    { at: at(0), content: fstab(rootFs, null) },
    { at: at(rnd.int(10, 90) / 100), content: fstab(rootFs, dataFs ?? (rootFs === 'ext4' ? 'xfs' : 'ext4')) },
  ];
}

export const RESOLV_VARIANTS = [
  'nameserver 10.0.0.2\nnameserver 10.0.0.3\nsearch example.internal\noptions edns0 trust-ad\n',
  'nameserver 10.0.0.2\nsearch example.internal\n',
  'nameserver 8.8.8.8\n',
];

function resolvVersions(rnd: Random, index: number, at: (f: number) => string): FileVersion[] {
  const variant = rnd.weighted([
    [0, 75],
    [1, 20],
    [2, 5],
  ] as const);
  const first = { at: at(0), content: RESOLV_VARIANTS[variant] };
  if (index === 8) return [first, { at: at(0.5), content: null }];
  return [first];
}

/** The wire documents for one host: history for every version, the current state for the last. */
export function hostDocuments(host: SimHost): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [];
  for (const f of host.files) {
    f.versions.forEach((v, i) => {
      // As the agent leaves them once its updates are in: each version closed by the next, the last one open.
      const doc = wireDoc(host, f, v, v.at, 'history');
      (doc.mitra as Record<string, unknown>).superseded_at = f.versions[i + 1]?.at ?? OPEN_UNTIL;
      docs.push(doc);
    });
    const last = f.versions[f.versions.length - 1];
    docs.push(wireDoc(host, f, last, host.lastSeen, 'current'));
  }
  return docs;
}

function wireDoc(host: SimHost, f: SimFile, v: FileVersion, timestamp: string, target: Target): Record<string, unknown> {
  const mitra: Record<string, unknown> = { target, agent: { version: AGENT_VERSION, host_doc: true } };
  const file: Record<string, unknown> = { path: f.path };
  if (target === 'current') mitra.changed_at = v.at;
  if (v.content === null) {
    mitra.state = 'missing';
    mitra.reason = 'ENOENT';
  } else {
    mitra.content = v.content;
    file.size = Buffer.byteLength(v.content, 'utf8');
    if (f.format) mitra.format = f.format;
  }
  return { '@timestamp': timestamp, host: { name: host.name }, file, mitra };
}

/** Every host of a fleet, generated lazily. */
export function* simulateFleet(opts: FleetOptions): Generator<SimHost> {
  for (let i = 0; i < opts.hosts; i++) yield simulateHost(i, opts);
}
