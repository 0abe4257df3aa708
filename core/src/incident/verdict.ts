import type { FragmentationReading } from './fragmentation';
import type { MemoryReading } from './memory';
import type { RatesReading } from './rates';
import type { SettingInForce } from './settings';
import { bytes, count, PAGE_BYTES, seconds, signedBytes } from './units';
import type { ZoneWatermarks } from './watermarks';

/** What counts as "the same pattern": shared by a host's verdict and the fleet view. */
export interface PatternThresholds {
  /** Page cache (Cached) fell by at least this fraction of its level at the start of the fall. */
  cacheDrop: number;
  /** ...while anonymous memory (AnonPages) changed by at most this fraction of MemTotal over the same span. */
  anonBound: number;
}

export const DEFAULT_THRESHOLDS: PatternThresholds = { cacheDrop: 0.5, anonBound: 0.02 };

export type VerdictKind = 'page_cache_eviction' | 'anonymous_demand' | 'no_clear_pattern' | 'insufficient_data';

export interface Claim {
  text: string;
  /** Where in the report the numbers of this claim are (JSON paths), so each one can be checked. */
  refs: string[];
}

export interface Verdict {
  kind: VerdictKind;
  /** The claims joined in one paragraph. */
  summary: string;
  claims: Claim[];
}

export interface VerdictInput {
  memory: MemoryReading;
  zones: ZoneWatermarks[];
  fragmentation: FragmentationReading;
  reclaim: RatesReading;
  settings: SettingInForce[];
  thresholds: PatternThresholds;
  time: (t: string) => string;
}

/** The eviction pattern: a deep cache fall with anonymous memory nearly still over the same span. */
export function isCacheEviction(memory: MemoryReading, th: PatternThresholds): boolean {
  const fall = memory.cacheFall;
  if (!fall || memory.memTotal === null || fall.before <= 0) return false;
  return -fall.change / fall.before >= th.cacheDrop && Math.abs(fall.otherChange) <= th.anonBound * memory.memTotal;
}

/**
 * Anonymous memory grew by more than the bound, and by at least half of what the
 * cache gave up over that span: the growth, not the cache, is what needed the pages.
 */
export function isAnonymousDemand(memory: MemoryReading, th: PatternThresholds): boolean {
  const rise = memory.anonRise;
  if (!rise || memory.memTotal === null) return false;
  return rise.change > th.anonBound * memory.memTotal && rise.change >= -rise.otherChange / 2;
}

/** A short verdict, every claim quoting numbers the report carries. */
export function writeVerdict(v: VerdictInput): Verdict {
  if (v.memory.observations < 2) {
    const claims = [
      {
        text: `${v.memory.observations} /proc/meminfo observation(s) in the window: at least two are needed to say what memory did; widen the window`,
        refs: ['memory.observations'],
      },
    ];
    return { kind: 'insufficient_data', summary: claims[0].text, claims };
  }
  const { kind, claim } = memoryClaim(v);
  const claims = [claim, watermarkClaim(v), fragmentationClaim(v), reclaimClaim(v), settingsClaim(v)].filter((c): c is Claim => c !== null);
  return { kind, summary: claims.map((c) => c.text).join('; ') + '.', claims };
}

function memoryClaim(v: VerdictInput): { kind: VerdictKind; claim: Claim } {
  const { memory: m, thresholds: th, time } = v;
  if (isCacheEviction(m, th)) {
    const f = m.cacheFall!;
    return {
      kind: 'page_cache_eviction',
      claim: {
        text:
          `page cache fell ${bytes(-f.change)} in ${seconds(f.seconds)} (Cached ${bytes(f.before)} at ${time(f.from)} → ${bytes(f.after)} at ${time(f.to)}) ` +
          `while anonymous memory changed ${signedBytes(f.otherChange)}: page-cache eviction, not anonymous demand`,
        refs: ['memory.cacheFall'],
      },
    };
  }
  if (isAnonymousDemand(m, th)) {
    const r = m.anonRise!;
    return {
      kind: 'anonymous_demand',
      claim: {
        text:
          `anonymous memory grew ${bytes(r.change)} in ${seconds(r.seconds)} (AnonPages ${bytes(r.before)} at ${time(r.from)} → ${bytes(r.after)} at ${time(r.to)}) ` +
          `while page cache changed ${signedBytes(r.otherChange)}: anonymous demand, not page-cache eviction`,
        refs: ['memory.anonRise'],
      },
    };
  }
  const cached = m.keys.find((k) => k.key === 'Cached');
  const anon = m.keys.find((k) => k.key === 'AnonPages');
  return {
    kind: 'no_clear_pattern',
    claim: {
      text: `page cache changed ${signedBytes(cached?.change ?? 0)} and anonymous memory ${signedBytes(anon?.change ?? 0)} over the window: neither page-cache eviction nor anonymous demand by the thresholds (cache drop ≥ ${pct(th.cacheDrop)}, anonymous within ${pct(th.anonBound)} of MemTotal)`,
      refs: ['memory.keys'],
    },
  };
}

function watermarkClaim(v: VerdictInput): Claim {
  const { zones, time } = v;
  if (!zones.length) return { text: 'no /proc/zoneinfo in the window: watermarks unknown', refs: ['zones'] };
  const atMin = zones.filter((z) => z.reachedMin);
  if (atMin.length) {
    const list = atMin.map(
      (z) => `${z.label} at ${time(z.reachedMin!.t)} (free ${count(z.reachedMin!.free)} ≤ min ${count(z.reachedMin!.mark)} pages)`,
    );
    return {
      text: `${list.join(', ')} fell to the min watermark: allocations there had to reclaim directly`,
      refs: atMin.map((z) => `zones[${zones.indexOf(z)}].reachedMin`),
    };
  }
  const atLow = zones.filter((z) => z.reachedLow);
  if (atLow.length) {
    const list = atLow.map(
      (z) => `${z.label} at ${time(z.reachedLow!.t)} (free ${count(z.reachedLow!.free)} ≤ low ${count(z.reachedLow!.mark)} pages)`,
    );
    return {
      text: `${list.join(', ')} fell to the low watermark, which wakes kswapd; no zone reached min`,
      refs: atLow.map((z) => `zones[${zones.indexOf(z)}].reachedLow`),
    };
  }
  const closest = zones.reduce((a, b) => (b.marginToLow < a.marginToLow ? b : a));
  return {
    text: `no zone reached its low watermark (closest: ${closest.label}, ${count(closest.marginToLow)} pages above low at ${time(closest.lowestFree.t)})`,
    refs: [`zones[${zones.indexOf(closest)}].marginToLow`],
  };
}

function fragmentationClaim(v: VerdictInput): Claim {
  const { order, zones } = v.fragmentation;
  if (!zones.length) return { text: 'no /proc/buddyinfo in the window: fragmentation unknown', refs: ['fragmentation.zones'] };
  const empty = zones.filter((z) => z.lowest.value === 0);
  if (empty.length) {
    return {
      text: `shortage of order ≥ ${order} blocks: ${empty.map((z) => `${z.label} had none free at ${v.time(z.lowest.t)}`).join(', ')}`,
      refs: empty.map((z) => `fragmentation.zones[${zones.indexOf(z)}].lowest`),
    };
  }
  const fewest = zones.reduce((a, b) => (b.lowest.value < a.lowest.value ? b : a));
  return {
    text: `no shortage of order ≥ ${order} blocks (fewest: ${count(fewest.lowest.value)} in ${fewest.label} at ${v.time(fewest.lowest.t)})`,
    refs: [`fragmentation.zones[${zones.indexOf(fewest)}].lowest`],
  };
}

function reclaimClaim(v: VerdictInput): Claim | null {
  const { reclaim } = v;
  if (!reclaim.intervals.length) {
    return { text: `no vmstat rates in the window (${reclaim.observations} observation(s))`, refs: ['reclaim.intervals'] };
  }
  const max = (name: string) => reclaim.counters.find((c) => c.name === name)?.maxPerSecond?.perSecond ?? 0;
  const pages = (n: number) => `${count(n)} pages/s (${bytes(n * PAGE_BYTES)}/s)`;
  const parts = [
    `kswapd scanned up to ${pages(max('pgscan_kswapd'))} and reclaimed up to ${pages(max('pgsteal_kswapd'))}`,
    `direct reclaim scanned up to ${pages(max('pgscan_direct'))} with up to ${count(max('allocstall'))} allocation stalls/s`,
    `major faults up to ${count(max('pgmajfault'))}/s, swap-out up to ${count(max('pswpout'))} pages/s`,
  ];
  const resets = reclaim.resets.length
    ? ` (counters reset ${reclaim.resets.length}×, e.g. a reboot between ${v.time(reclaim.resets[0].from)} and ${v.time(reclaim.resets[0].to)}: no rate spans it)`
    : '';
  return { text: parts.join('; ') + resets, refs: ['reclaim.counters', ...(resets ? ['reclaim.resets'] : [])] };
}

function settingsClaim(v: VerdictInput): Claim | null {
  const shown = v.settings.filter((s) => s.key === 'vm.swappiness' || s.key === 'vm.min_free_kbytes');
  if (!shown.length) return null;
  return { text: shown.map((s) => `${s.key} = ${s.value}`).join(', '), refs: ['settings'] };
}

const pct = (f: number): string => `${Math.round(f * 1000) / 10}%`;
