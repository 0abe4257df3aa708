/**
 * The Mitra field schema, declared once. Index template mappings
 * (`buildMappings`), the `FieldName` type used by queries, and FIELDS.md
 * (`renderFieldDocs`) are all derived from this list.
 */

export type FieldType =
  'keyword' | 'text' | 'long' | 'integer' | 'double' | 'float' | 'date' | 'boolean' | 'ip' | 'nested' | 'object' | 'alias';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly description: string;
  /** For `alias`: the field it points to. */
  readonly path?: string;
  /** For `object`: a bounded map whose every leaf is of this type (/proc counters). */
  readonly leaves?: 'long' | 'double';
  /** A keyword sub-field `<name>.keyword` next to a text field. */
  readonly keywordSubfield?: boolean;
  readonly example?: string;
}

export const FIELDS = [
  // --- what every snapshot carries (the wire format) ---
  { name: '@timestamp', type: 'date', description: 'When the agent observed the file (UTC).', example: '2026-11-27T03:00:00.000Z' },
  { name: 'host.name', type: 'keyword', description: "The host's name: the kernel host name unless overridden.", example: 'web-01' },
  { name: 'host.fqdn', type: 'keyword', description: 'Fully qualified name, when the agent was asked to resolve it.' },
  {
    name: 'file.path',
    type: 'keyword',
    description: 'Absolute path of the file on the host (inside hostfs, the path as the host sees it).',
    example: '/etc/hosts',
  },
  { name: 'file.size', type: 'long', description: 'Size in bytes of the content read (for /proc files: the bytes read, not st_size).' },
  { name: 'file.mtime', type: 'date', description: 'Modification time from stat.' },
  { name: 'file.mode', type: 'keyword', description: 'Permission bits as octal text.', example: '0644' },
  { name: 'file.uid', type: 'long', description: 'Owner user id.' },
  { name: 'file.gid', type: 'long', description: 'Owner group id.' },
  { name: 'file.inode', type: 'keyword', description: 'Inode number (as text: inode numbers exceed 2^53 on some filesystems).' },
  { name: 'file.hash.sha256', type: 'keyword', description: 'sha256 of mitra.content, lowercase hex, computed by the pipeline.' },
  {
    name: 'mitra.content',
    type: 'text',
    description: 'The file content as UTF-8 text. Absent for missing, refused, binary and too-large files.',
  },
  {
    name: 'mitra.format',
    type: 'keyword',
    description: 'Parser applied: given by the sender or chosen from file.path.',
    example: 'meminfo',
  },
  {
    name: 'mitra.state',
    type: 'keyword',
    description: 'present | missing | too_large | binary | unreadable | refused. Anything but present carries no content.',
    example: 'present',
  },
  { name: 'mitra.reason', type: 'keyword', description: 'Why a file is not present (e.g. EACCES, "over maxsize 10 MB").' },
  { name: 'mitra.target', type: 'keyword', description: 'current | history: which index the snapshot is routed to (default current).' },
  { name: 'mitra.changed_at', type: 'date', description: 'When the content last changed (agent-side), on current-state documents.' },
  { name: 'mitra.tags', type: 'keyword', description: 'Free tags from the agent configuration.' },
  { name: 'mitra.agent.version', type: 'keyword', description: 'Version of the agent that sent the snapshot.' },
  { name: 'mitra.ingested_at', type: 'date', description: 'When the pipeline processed the snapshot.' },
  { name: 'mitra.pipeline_version', type: 'integer', description: '_meta.version of the mitra-snapshot pipeline that parsed it.' },
  { name: 'mitra.error.processor', type: 'keyword', description: 'Processor type that failed while parsing.' },
  { name: 'mitra.error.tag', type: 'keyword', description: 'Tag of the processor that failed.' },
  { name: 'mitra.error.message', type: 'text', description: 'Error message of the failed parser; the document keeps its content.' },

  // --- parsed: kernel (/proc/version) ---
  { name: 'mitra.kernel.release', type: 'keyword', description: 'Kernel release from /proc/version.', example: '4.4.0-21-generic' },
  {
    name: 'mitra.kernel.major_minor',
    type: 'keyword',
    description: 'major.minor of the release, so "4.4" never matches 4.40 or 4.14.',
    example: '4.4',
  },
  { name: 'mitra.kernel.major', type: 'integer', description: 'Kernel major version.' },
  { name: 'mitra.kernel.minor', type: 'integer', description: 'Kernel minor version.' },

  // --- parsed: /proc counters as numbers ---
  {
    name: 'mitra.meminfo',
    type: 'object',
    leaves: 'long',
    description: '/proc/meminfo: every key in bytes (kB values × 1024; HugePages_* counts as is).',
  },
  {
    name: 'mitra.vmstat',
    type: 'object',
    leaves: 'long',
    description: '/proc/vmstat: every counter, e.g. pgscank, pgsteal_kswapd, pgmajfault.',
  },
  {
    name: 'mitra.zoneinfo',
    type: 'object',
    leaves: 'long',
    description: '/proc/zoneinfo per node and zone: `node<N>.<zone>.{free,min,low,high,spanned,present,managed}` in pages.',
  },
  {
    name: 'mitra.buddyinfo',
    type: 'object',
    leaves: 'long',
    description: '/proc/buddyinfo: `node<N>.<zone>.order<K>` free blocks per order.',
  },
  { name: 'mitra.loadavg.load1', type: 'double', description: '1-minute load average.' },
  { name: 'mitra.loadavg.load5', type: 'double', description: '5-minute load average.' },
  { name: 'mitra.loadavg.load15', type: 'double', description: '15-minute load average.' },
  { name: 'mitra.loadavg.running', type: 'long', description: 'Runnable scheduling entities.' },
  { name: 'mitra.loadavg.total', type: 'long', description: 'Existing scheduling entities.' },
  { name: 'mitra.loadavg.last_pid', type: 'long', description: 'Most recently created PID.' },

  // --- parsed: settings (sysctl files and /proc/sys values) ---
  { name: 'mitra.settings', type: 'nested', description: 'Key/value settings (sysctl.conf, sysctl.d, /proc/sys): one entry per key.' },
  { name: 'mitra.settings.key', type: 'keyword', description: 'Setting name in dotted form.', example: 'vm.swappiness' },
  { name: 'mitra.settings.value', type: 'keyword', description: 'Setting value as text, whitespace collapsed.', example: '60' },

  // --- parsed: /etc/os-release ---
  { name: 'mitra.os.id', type: 'keyword', description: 'ID from os-release.', example: 'debian' },
  { name: 'mitra.os.id_like', type: 'keyword', description: 'ID_LIKE from os-release.' },
  { name: 'mitra.os.name', type: 'keyword', description: 'NAME from os-release.' },
  { name: 'mitra.os.version_id', type: 'keyword', description: 'VERSION_ID from os-release.', example: '12' },
  { name: 'mitra.os.pretty_name', type: 'keyword', description: 'PRETTY_NAME from os-release.' },
  { name: 'mitra.os.version_codename', type: 'keyword', description: 'VERSION_CODENAME from os-release.' },

  // --- parsed: /etc/fstab ---
  { name: 'mitra.fstab', type: 'nested', description: 'One entry per fstab line.' },
  { name: 'mitra.fstab.device', type: 'keyword', description: 'Device, UUID= or LABEL= spec.' },
  { name: 'mitra.fstab.mount_point', type: 'keyword', description: 'Mount point.' },
  { name: 'mitra.fstab.fstype', type: 'keyword', description: 'Filesystem type.', example: 'ext4' },
  { name: 'mitra.fstab.options', type: 'keyword', description: 'Mount options, one value per option.' },
  { name: 'mitra.fstab.dump', type: 'integer', description: 'dump field.' },
  { name: 'mitra.fstab.pass', type: 'integer', description: 'fsck pass field.' },

  // --- parsed: /etc/hosts ---
  { name: 'mitra.hosts', type: 'nested', description: 'One entry per /etc/hosts line.' },
  { name: 'mitra.hosts.ip', type: 'keyword', description: 'Address (keyword: entries may be malformed).' },
  { name: 'mitra.hosts.names', type: 'keyword', description: 'Canonical name and aliases.' },

  // --- parsed: /etc/resolv.conf ---
  { name: 'mitra.resolv.nameservers', type: 'keyword', description: 'nameserver lines, in order.' },
  { name: 'mitra.resolv.search', type: 'keyword', description: 'search domains.' },
  { name: 'mitra.resolv.domain', type: 'keyword', description: 'domain line.' },
  { name: 'mitra.resolv.options', type: 'keyword', description: 'options, one value per option.' },

  // --- parsed: /etc/security/limits.conf ---
  { name: 'mitra.limits', type: 'nested', description: 'One entry per limits.conf rule.' },
  { name: 'mitra.limits.domain', type: 'keyword', description: 'User, @group, wildcard.' },
  { name: 'mitra.limits.type', type: 'keyword', description: 'soft | hard | -.' },
  { name: 'mitra.limits.item', type: 'keyword', description: 'nofile, nproc, ...' },
  { name: 'mitra.limits.value', type: 'keyword', description: 'Value as text (unlimited, -1, 65536).' },

  // --- parsed: package inventories ---
  { name: 'mitra.packages', type: 'nested', description: 'Installed packages (dpkg-query -W or rpm -qa output).' },
  { name: 'mitra.packages.name', type: 'keyword', description: 'Exact package name: zsh-common is not zsh.', example: 'zsh' },
  { name: 'mitra.packages.version', type: 'keyword', description: 'Package version as the package manager prints it.' },
  { name: 'mitra.packages.arch', type: 'keyword', description: 'Architecture, when the inventory names it.' },
  { name: 'mitra.package_count', type: 'integer', description: 'Number of packages in the inventory.' },

  // --- aliases: the original Mitra field names, so old Lucene queries run verbatim ---
  { name: 'hostname', type: 'alias', path: 'host.name', description: 'Original Mitra name for host.name.' },
  { name: 'filename', type: 'alias', path: 'file.path', description: 'Original Mitra name for file.path.' },
  { name: 'content', type: 'alias', path: 'mitra.content', description: 'Original Mitra name for mitra.content.' },
] as const satisfies readonly FieldSpec[];

/** Every field name the schema declares; queries reference fields through this type. */
export type FieldName = (typeof FIELDS)[number]['name'];

/** Names a query may use for a field: a declared name, or a leaf under a numeric map (mitra.meminfo.Cached). */
export type FieldRef = FieldName | `${'mitra.meminfo' | 'mitra.vmstat' | 'mitra.zoneinfo' | 'mitra.buddyinfo'}.${string}`;

export const field = <F extends FieldName>(name: F): F => name;

type Mapping = Record<string, unknown>;

/** Elasticsearch mappings for the snapshot indices, built from FIELDS. */
export function buildMappings(): Mapping {
  const root: Mapping = { dynamic: false, properties: {} };
  const dynamicTemplates: Mapping[] = [];
  for (const spec of FIELDS as readonly FieldSpec[]) {
    const parent = containerFor(root, spec.name);
    const leaf = spec.name.split('.').pop()!;
    parent[leaf] = { ...(parent[leaf] as Mapping | undefined), ...leafMapping(spec) };
    if (spec.leaves) {
      dynamicTemplates.push({
        [spec.name.replace(/\W/g, '_')]: {
          path_match: `${spec.name}.*`,
          // Only numbers: '*' would also catch the intermediate objects (zoneinfo.node0).
          match_mapping_type: spec.leaves,
          mapping: { type: spec.leaves },
        },
      });
    }
  }
  return { ...root, dynamic_templates: dynamicTemplates };
}

function leafMapping(spec: FieldSpec): Mapping {
  switch (spec.type) {
    case 'alias':
      return { type: 'alias', path: spec.path };
    case 'nested':
      return { type: 'nested', dynamic: false };
    case 'object':
      // Only the numeric maps are open, and only to numbers (dynamic templates).
      return { type: 'object', dynamic: spec.leaves ? true : false };
    case 'text':
      return spec.keywordSubfield ? { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 1024 } } } : { type: 'text' };
    case 'keyword':
      return { type: 'keyword', ignore_above: 4096 };
    default:
      return { type: spec.type };
  }
}

/** Walks (creating) the `properties` objects for every dotted prefix of `name`. */
function containerFor(root: Mapping, name: string): Mapping {
  const parts = name.split('.');
  let props = root.properties as Mapping;
  for (const part of parts.slice(0, -1)) {
    const existing = (props[part] ?? { properties: {} }) as Mapping;
    existing.properties ??= {};
    props[part] = existing;
    props = existing.properties as Mapping;
  }
  return props;
}

/** FIELDS.md: the field reference, generated so it never drifts from the mappings. */
export function renderFieldDocs(): string {
  const rows = (FIELDS as readonly FieldSpec[]).map((f) => {
    const type = f.type === 'alias' ? `alias → \`${f.path}\`` : f.leaves ? `object of ${f.leaves}` : f.type;
    const example = f.example ? `\`${f.example}\`` : '';
    return `| \`${f.name}\` | ${type} | ${f.description.replace(/\|/g, '\\|')} | ${example} |`;
  });
  return [
    '# Mitra fields',
    '',
    'Generated from `core/src/schema.ts` by `npm run docs -w core`; a test fails when this file is stale.',
    '',
    '| field | type | meaning | example |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
