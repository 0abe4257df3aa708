import { HOST_JOIN } from './wire';

/**
 * The Mitra field schema, declared once. Index template mappings
 * (`buildMappings`), the `FieldName` type used by queries, and FIELDS.md
 * (`renderFieldDocs`) are all derived from this list.
 */

export type FieldType =
  | 'keyword'
  | 'text'
  | 'long'
  | 'integer'
  | 'double'
  | 'float'
  | 'date'
  | 'boolean'
  | 'ip'
  | 'nested'
  | 'object'
  | 'alias'
  | 'data'
  | 'join';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly description: string;
  /** For `alias`: the field it points to. */
  readonly path?: string;
  /** For `join`: parent relation name → child relation name. */
  readonly relations?: Readonly<Record<string, string>>;
  /** For `object`: a /proc key/value map whose every leaf is of this type. */
  readonly leaves?: 'long' | 'double';
  /**
   * For `leaves` maps: the keys mapped (searchable, aggregatable). Every other
   * key the parser finds stays in `_source` only, so no document can add fields.
   */
  readonly keys?: readonly string[];
  /**
   * For `keys` maps: `source-only` says, explicitly, that keys the parser finds
   * beyond `keys` are kept as data in `_source` on purpose (never searchable).
   * The fixture check (ingest-pipelines/src/schema-coverage.test.ts) accepts an
   * undeclared key only under a map that says so.
   */
  readonly otherKeys?: 'source-only';
  /** How FIELDS.md summarises `keys` when listing them all would be unreadable. */
  readonly keysDoc?: string;
  /** A keyword sub-field `<name>.keyword` next to a text field. */
  readonly keywordSubfield?: boolean;
  /**
   * `false`: parsed and kept in `_source` (its readers read it there), but left
   * out of the mapping, so indexing a snapshot does not pay for it (issue 13).
   * Only what a question, a screen or a saved search filters, sorts or
   * aggregates on is indexed. `type` (and `keys`) still say what the value is.
   * Leaving a field out of the closed mapping, rather than mapping it
   * `enabled: false`, is what lets `mitra setup` put the new mapping on an
   * index made with the old one: nothing conflicts, the old fields just stay.
   */
  readonly indexed?: false;
  readonly example?: string;
}

/**
 * The declared keys of the /proc maps: what real kernels (3.10 … 6.18) print,
 * the keys `history --series` accepts (a typo is an error, not an empty
 * series). No /proc map is indexed: every key, declared or not, is kept in
 * `_source`, where the series and the incident replay read it.
 */
const MEMINFO_KEYS = [
  'MemTotal',
  'MemFree',
  'MemAvailable',
  'Buffers',
  'Cached',
  'SwapCached',
  'Active',
  'Inactive',
  'Active(anon)',
  'Inactive(anon)',
  'Active(file)',
  'Inactive(file)',
  'Unevictable',
  'Mlocked',
  'HighTotal',
  'HighFree',
  'LowTotal',
  'LowFree',
  'MmapCopy',
  'SwapTotal',
  'SwapFree',
  'Zswap',
  'Zswapped',
  'Dirty',
  'Writeback',
  'AnonPages',
  'Mapped',
  'Shmem',
  'KReclaimable',
  'Slab',
  'SReclaimable',
  'SUnreclaim',
  'KernelStack',
  'ShadowCallStack',
  'PageTables',
  'SecPageTables',
  'Quicklists',
  'NFS_Unstable',
  'Bounce',
  'WritebackTmp',
  'CommitLimit',
  'Committed_AS',
  'VmallocTotal',
  'VmallocUsed',
  'VmallocChunk',
  'Percpu',
  'HardwareCorrupted',
  'AnonHugePages',
  'ShmemHugePages',
  'ShmemPmdMapped',
  'FileHugePages',
  'FilePmdMapped',
  'CmaTotal',
  'CmaFree',
  'Unaccepted',
  'Balloon',
  'HugePages_Total',
  'HugePages_Free',
  'HugePages_Rsvd',
  'HugePages_Surp',
  'Hugepagesize',
  'Hugetlb',
  'DirectMap4k',
  'DirectMap2M',
  'DirectMap4M',
  'DirectMap1G',
] as const;

const VMSTAT_KEYS = [
  'allocstall',
  'allocstall_device',
  'allocstall_dma',
  'allocstall_dma32',
  'allocstall_movable',
  'allocstall_normal',
  'balloon_deflate',
  'balloon_inflate',
  'balloon_migrate',
  'compact_daemon_free_scanned',
  'compact_daemon_migrate_scanned',
  'compact_daemon_wake',
  'compact_fail',
  'compact_free_scanned',
  'compact_isolated',
  'compact_migrate_scanned',
  'compact_stall',
  'compact_success',
  'cow_ksm',
  'direct_map_level2_collapses',
  'direct_map_level2_splits',
  'direct_map_level3_collapses',
  'direct_map_level3_splits',
  'drop_pagecache',
  'drop_slab',
  'htlb_buddy_alloc_fail',
  'htlb_buddy_alloc_success',
  'ksm_swpin_copy',
  'kswapd_high_wmark_hit_quickly',
  'kswapd_inodesteal',
  'kswapd_low_wmark_hit_quickly',
  'nr_active_anon',
  'nr_active_file',
  'nr_alloc_batch',
  'nr_anon_pages',
  'nr_anon_transparent_hugepages',
  'nr_balloon_pages',
  'nr_bounce',
  'nr_dirtied',
  'nr_dirty',
  'nr_dirty_background_threshold',
  'nr_dirty_threshold',
  'nr_file_hugepages',
  'nr_file_pages',
  'nr_file_pmdmapped',
  'nr_foll_pin_acquired',
  'nr_foll_pin_released',
  'nr_free_cma',
  'nr_free_pages',
  'nr_free_pages_blocks',
  'nr_hugetlb',
  'nr_inactive_anon',
  'nr_inactive_file',
  'nr_iommu_pages',
  'nr_isolated_anon',
  'nr_isolated_file',
  'nr_kernel_file_pages',
  'nr_kernel_misc_reclaimable',
  'nr_kernel_stack',
  'nr_mapped',
  'nr_memmap_boot_pages',
  'nr_memmap_pages',
  'nr_mlock',
  'nr_page_table_pages',
  'nr_sec_page_table_pages',
  'nr_shmem',
  'nr_shmem_hugepages',
  'nr_shmem_pmdmapped',
  'nr_slab_reclaimable',
  'nr_slab_unreclaimable',
  'nr_swapcached',
  'nr_throttled_written',
  'nr_unevictable',
  'nr_unstable',
  'nr_vmscan_immediate_reclaim',
  'nr_vmscan_write',
  'nr_writeback',
  'nr_writeback_temp',
  'nr_written',
  'nr_zone_active_anon',
  'nr_zone_active_file',
  'nr_zone_inactive_anon',
  'nr_zone_inactive_file',
  'nr_zone_unevictable',
  'nr_zone_write_pending',
  'nr_zspages',
  'numa_foreign',
  'numa_hint_faults',
  'numa_hint_faults_local',
  'numa_hit',
  'numa_huge_pte_updates',
  'numa_interleave',
  'numa_local',
  'numa_miss',
  'numa_other',
  'numa_pages_migrated',
  'numa_pte_updates',
  'oom_kill',
  'pageoutrun',
  'pgactivate',
  'pgalloc_device',
  'pgalloc_dma',
  'pgalloc_dma32',
  'pgalloc_movable',
  'pgalloc_normal',
  'pgdeactivate',
  'pgdemote_direct',
  'pgdemote_khugepaged',
  'pgdemote_kswapd',
  'pgdemote_proactive',
  'pgfault',
  'pgfree',
  'pginodesteal',
  'pglazyfree',
  'pglazyfreed',
  'pgmajfault',
  'pgmigrate_fail',
  'pgmigrate_success',
  'pgpgin',
  'pgpgout',
  'pgpromote_candidate',
  'pgpromote_candidate_nrl',
  'pgpromote_success',
  'pgrefill',
  'pgrefill_dma',
  'pgrefill_dma32',
  'pgrefill_movable',
  'pgrefill_normal',
  'pgreuse',
  'pgrotated',
  'pgscan_anon',
  'pgscan_direct',
  'pgscan_direct_dma',
  'pgscan_direct_dma32',
  'pgscan_direct_movable',
  'pgscan_direct_normal',
  'pgscan_direct_throttle',
  'pgscan_file',
  'pgscan_khugepaged',
  'pgscan_kswapd',
  'pgscan_kswapd_dma',
  'pgscan_kswapd_dma32',
  'pgscan_kswapd_movable',
  'pgscan_kswapd_normal',
  'pgscan_proactive',
  'pgscank',
  'pgskip_device',
  'pgskip_dma',
  'pgskip_dma32',
  'pgskip_movable',
  'pgskip_normal',
  'pgsteal_anon',
  'pgsteal_direct',
  'pgsteal_direct_dma',
  'pgsteal_direct_dma32',
  'pgsteal_direct_movable',
  'pgsteal_direct_normal',
  'pgsteal_file',
  'pgsteal_khugepaged',
  'pgsteal_kswapd',
  'pgsteal_kswapd_dma',
  'pgsteal_kswapd_dma32',
  'pgsteal_kswapd_movable',
  'pgsteal_kswapd_normal',
  'pgsteal_proactive',
  'pswpin',
  'pswpout',
  'slabs_scanned',
  'swap_ra',
  'swap_ra_hit',
  'swpin_zero',
  'swpout_zero',
  'thp_collapse_alloc',
  'thp_collapse_alloc_failed',
  'thp_deferred_split_page',
  'thp_fault_alloc',
  'thp_fault_fallback',
  'thp_fault_fallback_charge',
  'thp_file_alloc',
  'thp_file_fallback',
  'thp_file_fallback_charge',
  'thp_file_mapped',
  'thp_migration_fail',
  'thp_migration_split',
  'thp_migration_success',
  'thp_scan_exceed_none_pte',
  'thp_scan_exceed_share_pte',
  'thp_scan_exceed_swap_pte',
  'thp_split',
  'thp_split_page',
  'thp_split_page_failed',
  'thp_split_pmd',
  'thp_split_pud',
  'thp_swpout',
  'thp_swpout_fallback',
  'thp_underused_split_page',
  'thp_zero_page_alloc',
  'thp_zero_page_alloc_failed',
  'unevictable_pgs_cleared',
  'unevictable_pgs_culled',
  'unevictable_pgs_mlocked',
  'unevictable_pgs_munlocked',
  'unevictable_pgs_rescued',
  'unevictable_pgs_scanned',
  'unevictable_pgs_stranded',
  'workingset_activate',
  'workingset_activate_anon',
  'workingset_activate_file',
  'workingset_nodereclaim',
  'workingset_nodes',
  'workingset_refault',
  'workingset_refault_anon',
  'workingset_refault_file',
  'workingset_restore_anon',
  'workingset_restore_file',
  'zone_reclaim_failed',
  'zone_reclaim_success',
  'zswpin',
  'zswpout',
  'zswpwb',
] as const;

/**
 * NUMA nodes and zones whose zoneinfo/buddyinfo numbers are declared keys (lowercased zone names);
 * nodes above node3 and orders above 10 are kept in _source too, but a series does not accept them.
 */
const NUMA_NODES = Array.from({ length: 4 }, (_, i) => `node${i}`);
const ZONES = ['dma', 'dma32', 'normal', 'highmem', 'movable', 'device'];
/** Free-block orders 0-10: MAX_ORDER 11 on x86 and arm64 with 4 KB pages. */
const BUDDY_ORDERS = Array.from({ length: 11 }, (_, i) => `order${i}`);

/** Every dotted path a.b.c over the given levels, in order. */
function grid(...levels: readonly (readonly string[])[]): string[] {
  return levels.reduce<string[]>((paths, level) => paths.flatMap((p) => level.map((k) => (p ? `${p}.${k}` : k))), ['']);
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
  {
    name: 'mitra.superseded_at',
    type: 'date',
    description:
      'History documents: when the next version of the same (host, path) arrived (9999-12-31T23:59:59.999Z while none has); missing when the sender does not seal versions (Filebeat, older agents).',
  },
  {
    name: 'mitra.supersedes',
    type: 'date',
    description:
      "History documents shipped by Filebeat from the agent's spool: the @timestamp of the version this one replaces, as the agent knew it (kept for a job that would close that version; the agent's own bulk closes it with an update instead).",
    indexed: false,
  },
  { name: 'mitra.tags', type: 'keyword', description: 'Free tags from the agent configuration.' },
  { name: 'mitra.agent.version', type: 'keyword', description: 'Version of the agent that sent the snapshot.' },
  {
    name: 'mitra.agent.host_doc',
    type: 'boolean',
    description:
      'Set by an agent that sends a mitra:host document every full cycle and ships it again without any path the cluster refused (not with output: spool, where Filebeat ships): with it on every current document, host questions read the host documents.',
  },
  { name: 'mitra.ingested_at', type: 'date', description: 'When the pipeline processed the snapshot.' },
  {
    name: 'mitra.sent_timestamp',
    type: 'keyword',
    description:
      'The @timestamp as sent, kept only when it was outside the accepted window (before 2000-01-01 or more than a day after ingest): @timestamp then holds the ingest time and mitra.error says why.',
  },
  {
    name: 'mitra.pipeline_version',
    type: 'integer',
    description:
      'version of the mitra-snapshot pipeline that parsed it: a hash of its content and its parsers (ingest-pipelines/README.md, "Versions").',
  },
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
  { name: 'mitra.kernel.major', type: 'integer', description: 'Kernel major version.', indexed: false },
  { name: 'mitra.kernel.minor', type: 'integer', description: 'Kernel minor version.', indexed: false },

  // --- parsed: /proc counters as numbers ---
  {
    name: 'mitra.meminfo',
    type: 'object',
    indexed: false,
    leaves: 'long',
    keys: MEMINFO_KEYS,
    otherKeys: 'source-only',
    description:
      '/proc/meminfo: every key in bytes (kB values × 1024; HugePages_* counts as is), in _source only (read by series and incident).',
  },
  {
    name: 'mitra.vmstat',
    type: 'object',
    indexed: false,
    leaves: 'long',
    keys: VMSTAT_KEYS,
    otherKeys: 'source-only',
    description: '/proc/vmstat: every counter, e.g. pgscank, pgsteal_kswapd, pgmajfault, in _source only (read by series and incident).',
  },
  {
    name: 'mitra.zoneinfo',
    type: 'object',
    indexed: false,
    leaves: 'long',
    keys: grid(NUMA_NODES, ZONES, ['free', 'min', 'low', 'high', 'spanned', 'present', 'managed']),
    otherKeys: 'source-only',
    keysDoc: `node0 … node${NUMA_NODES.length - 1} × ${ZONES.join(', ')} × free, min, low, high, spanned, present, managed`,
    description:
      '/proc/zoneinfo per node and zone: `node<N>.<zone>.{free,min,low,high,spanned,present,managed}` in pages, in _source only (read by series and incident).',
  },
  {
    name: 'mitra.buddyinfo',
    type: 'object',
    indexed: false,
    leaves: 'long',
    keys: grid(NUMA_NODES, ZONES, BUDDY_ORDERS),
    otherKeys: 'source-only',
    keysDoc: `node0 … node${NUMA_NODES.length - 1} × ${ZONES.join(', ')} × order0 … order${BUDDY_ORDERS.length - 1}`,
    description: '/proc/buddyinfo: `node<N>.<zone>.order<K>` free blocks per order, in _source only (read by series and incident).',
  },
  { name: 'mitra.loadavg.load1', type: 'double', description: '1-minute load average.', indexed: false },
  { name: 'mitra.loadavg.load5', type: 'double', description: '5-minute load average.', indexed: false },
  { name: 'mitra.loadavg.load15', type: 'double', description: '15-minute load average.', indexed: false },
  { name: 'mitra.loadavg.running', type: 'long', description: 'Runnable scheduling entities.', indexed: false },
  { name: 'mitra.loadavg.total', type: 'long', description: 'Existing scheduling entities.', indexed: false },
  { name: 'mitra.loadavg.last_pid', type: 'long', description: 'Most recently created PID.', indexed: false },

  // --- parsed: settings (sysctl files and /proc/sys values) ---
  { name: 'mitra.settings', type: 'nested', description: 'Key/value settings (sysctl.conf, sysctl.d, /proc/sys): one entry per key.' },
  { name: 'mitra.settings.key', type: 'keyword', description: 'Setting name in dotted form.', example: 'vm.swappiness' },
  { name: 'mitra.settings.value', type: 'keyword', description: 'Setting value as text, whitespace collapsed.', example: '60' },

  // --- parsed: /etc/os-release ---
  { name: 'mitra.os.id', type: 'keyword', description: 'ID from os-release.', example: 'debian' },
  { name: 'mitra.os.id_like', type: 'keyword', description: 'ID_LIKE from os-release.', indexed: false },
  { name: 'mitra.os.name', type: 'keyword', description: 'NAME from os-release.' },
  { name: 'mitra.os.version_id', type: 'keyword', description: 'VERSION_ID from os-release.', example: '12' },
  { name: 'mitra.os.pretty_name', type: 'keyword', description: 'PRETTY_NAME from os-release.' },
  { name: 'mitra.os.version_codename', type: 'keyword', description: 'VERSION_CODENAME from os-release.', indexed: false },

  // --- parsed: /etc/fstab ---
  { name: 'mitra.fstab', type: 'nested', description: 'One entry per fstab line.', indexed: false },
  { name: 'mitra.fstab.device', type: 'keyword', description: 'Device, UUID= or LABEL= spec.', indexed: false },
  { name: 'mitra.fstab.mount_point', type: 'keyword', description: 'Mount point.', indexed: false },
  { name: 'mitra.fstab.fstype', type: 'keyword', description: 'Filesystem type.', example: 'ext4', indexed: false },
  { name: 'mitra.fstab.options', type: 'keyword', description: 'Mount options, one value per option.', indexed: false },
  { name: 'mitra.fstab.dump', type: 'integer', description: 'dump field.', indexed: false },
  { name: 'mitra.fstab.pass', type: 'integer', description: 'fsck pass field.', indexed: false },

  // --- parsed: /etc/hosts ---
  { name: 'mitra.hosts', type: 'nested', description: 'One entry per /etc/hosts line.', indexed: false },
  { name: 'mitra.hosts.ip', type: 'keyword', description: 'Address (keyword: entries may be malformed).', indexed: false },
  { name: 'mitra.hosts.names', type: 'keyword', description: 'Canonical name and aliases.', indexed: false },

  // --- parsed: /etc/resolv.conf ---
  { name: 'mitra.resolv.nameservers', type: 'keyword', description: 'nameserver lines, in order.', indexed: false },
  { name: 'mitra.resolv.search', type: 'keyword', description: 'search domains.', indexed: false },
  { name: 'mitra.resolv.domain', type: 'keyword', description: 'domain line.', indexed: false },
  { name: 'mitra.resolv.options', type: 'keyword', description: 'options, one value per option.', indexed: false },

  // --- parsed: /etc/security/limits.conf ---
  { name: 'mitra.limits', type: 'nested', description: 'One entry per limits.conf rule.', indexed: false },
  { name: 'mitra.limits.domain', type: 'keyword', description: 'User, @group, wildcard.', indexed: false },
  { name: 'mitra.limits.type', type: 'keyword', description: 'soft | hard | -.', indexed: false },
  { name: 'mitra.limits.item', type: 'keyword', description: 'nofile, nproc, ...', indexed: false },
  { name: 'mitra.limits.value', type: 'keyword', description: 'Value as text (unlimited, -1, 65536).', indexed: false },

  // --- parsed: package inventories ---
  // Questions read the two flat lists; the structured list is data (in _source, not indexed), so an
  // inventory is one Lucene document instead of one per package (the pipeline's largest indexing cost).
  {
    name: 'mitra.packages',
    type: 'data',
    description:
      'Installed packages (dpkg-query -W or rpm -qa output) as `{name, version, arch}` entries, kept in _source and not indexed: search mitra.package_names and mitra.package_versions.',
  },
  {
    name: 'mitra.package_names',
    type: 'keyword',
    description: 'Exact package names of the inventory, one value each: zsh-common is not zsh.',
    example: 'zsh',
  },
  {
    name: 'mitra.package_versions',
    type: 'keyword',
    description: 'name=version of every package of the inventory, version as the package manager prints it.',
    example: 'zsh=5.8-3ubuntu1',
  },
  { name: 'mitra.package_count', type: 'integer', description: 'Number of packages in the inventory.' },

  // --- parsed: the host document (mitra:host) ---
  {
    name: 'mitra.reports',
    type: 'keyword',
    description: "mitra:host: the paths the host's latest full agent cycle sent as present, one value each.",
    example: 'mitra:packages',
  },

  // --- the host join: the current state only (see HOST_JOIN in wire.ts) ---
  {
    name: HOST_JOIN.field,
    type: 'join',
    relations: { [HOST_JOIN.parent]: HOST_JOIN.child },
    description:
      "Current state only, set by the pipeline: `host` on the host document (mitra:host), `{name: file, parent: <the host document's _id>}` on every other snapshot, routed by host.name. Lets a host question combine its conditions in one query (has_child). A top-level field: the engine allows a join nowhere else.",
  },

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

/** The spec declaring a dotted name: the field itself, or the /proc map that declares it as a key. */
function declaringSpec(name: string): FieldSpec | undefined {
  for (const spec of FIELDS as readonly FieldSpec[]) {
    if (spec.name === name) return spec;
    if (spec.keys && name.startsWith(`${spec.name}.`)) return spec.keys.includes(name.slice(spec.name.length + 1)) ? spec : undefined;
  }
  return undefined;
}

/** Whether a dotted name is declared: a field of the schema or a declared key of a /proc map, indexed or not. */
export const isDeclaredField = (name: string): boolean => declaringSpec(name) !== undefined;

/**
 * Whether a dotted name is mapped (searchable, aggregatable). A field kept in
 * `_source` only (`indexed: false`, or under a parent that is) is not: a query
 * on it would silently match nothing, so its readers read `_source`.
 */
export function isMappedField(name: string): boolean {
  const spec = declaringSpec(name);
  if (!spec || spec.indexed === false) return false;
  const parts = name.split('.');
  return !parts.some((_, i) => i > 0 && specOf(parts.slice(0, i).join('.'))?.indexed === false);
}

const specOf = (name: string): FieldSpec | undefined => (FIELDS as readonly FieldSpec[]).find((f) => f.name === name);

type Mapping = Record<string, unknown>;

/** Elasticsearch mappings for the snapshot indices, built from FIELDS. */
export function buildMappings(): Mapping {
  const root: Mapping = { dynamic: false, properties: {} };
  for (const spec of FIELDS as readonly FieldSpec[]) {
    // Left out of the closed mapping: stored in _source, never indexed (see FieldSpec.indexed).
    if (spec.indexed === false) continue;
    const parent = containerFor(root, spec.name);
    const leaf = spec.name.split('.').pop()!;
    parent[leaf] = { ...(parent[leaf] as Mapping | undefined), ...leafMapping(spec) };
    for (const key of spec.keys ?? []) {
      // Declared keys only: every object on the way is closed too, so node99 or a junk key adds nothing.
      const path = `${spec.name}.${key}`;
      containerFor(root, path)[key.split('.').pop()!] = { type: spec.leaves };
    }
  }
  // An empty list replaces the dynamic templates older Mitra versions put on existing indices.
  return { ...root, dynamic_templates: [] };
}

function leafMapping(spec: FieldSpec): Mapping {
  switch (spec.type) {
    case 'alias':
      return { type: 'alias', path: spec.path };
    case 'nested':
      return { type: 'nested', dynamic: false };
    case 'object':
      return { type: 'object', dynamic: false };
    case 'data':
      return { type: 'object', enabled: false };
    case 'join':
      return { type: 'join', relations: spec.relations };
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
    const existing = (props[part] ?? { dynamic: false, properties: {} }) as Mapping;
    existing.properties ??= {};
    props[part] = existing;
    props = existing.properties as Mapping;
  }
  return props;
}

/** FIELDS.md: the field reference, generated so it never drifts from the mappings. */
export function renderFieldDocs(): string {
  const rows = (FIELDS as readonly FieldSpec[]).map((f) => {
    // A list left out of the mapping is not nested in Elasticsearch: say what the value is.
    const kind = f.type === 'nested' && f.indexed === false ? 'list of objects' : f.type === 'data' ? 'object' : f.type;
    const shape = f.type === 'alias' ? `alias → \`${f.path}\`` : f.leaves ? `object of ${f.leaves}` : kind;
    const type = f.type === 'data' || f.indexed === false ? `${shape} (_source only)` : shape;
    const example = f.example ? `\`${f.example}\`` : '';
    return `| \`${f.name}\` | ${type} | ${f.description.replace(/\|/g, '\\|')} | ${example} |`;
  });
  const maps = (FIELDS as readonly FieldSpec[])
    .filter((f) => f.keys)
    .flatMap((f) => ['', `### \`${f.name}\``, '', f.keysDoc ?? f.keys!.map((k) => `\`${k}\``).join(', ')]);
  return [
    '# Mitra fields',
    '',
    'Generated from `core/src/schema.ts` by `npm run docs -w core`; a test fails when this file is stale.',
    '',
    '| field | type | meaning | example |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    'A field marked _source only is parsed and kept in each document, but not indexed: no query, aggregation or',
    'sort can use it (a Lucene query on it matches nothing). Only what a fleet question, a screen or a shipped',
    'saved search filters, sorts or aggregates on is indexed; `history --series` and `mitra incident` read the',
    "/proc numbers from `_source` of one host's history. Search the raw text with `content:`.",
    '',
    '## Declared keys of the /proc maps',
    '',
    'The keys `history --series` accepts. Every key a parser finds, declared or not, is kept in `_source`.',
    ...maps,
    '',
  ].join('\n');
}
