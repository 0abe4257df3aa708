import { Random, hostSeed } from './random';

/**
 * A simulated fleet for the incident fleet view: each host's /proc/meminfo over
 * a window, shaped by a planned scenario, with the ground truth (does it show
 * the page-cache-eviction pattern?) taken from the plan, never from the code under test.
 *
 * Scenarios (by index, cycling; plus random ones with clear margins):
 *   evict         cache falls 60-95% in one step, anonymous memory moves < 1% of MemTotal   → pattern
 *   evict-edge    cache falls 51%, anonymous memory moves 1.9% of MemTotal                   → pattern
 *   shallow       cache falls 49%, anonymous still                                           → no
 *   anon-moves    cache falls 80%, anonymous memory moves 2.1% of MemTotal                   → no
 *   anon-growth   anonymous memory grows by what the cache loses                             → no
 *   recovered     cache falls 70% then refills inside the window (peak to trough counts)     → pattern
 *   outside       the fall happens after the window ends                                     → no
 *   steady        nothing happens                                                            → no
 *   single        one observation in the window: not examined                                → no
 */
export type MemoryScenario =
  'evict' | 'evict-edge' | 'shallow' | 'anon-moves' | 'anon-growth' | 'recovered' | 'outside' | 'steady' | 'single';
const CYCLE: MemoryScenario[] = ['evict', 'evict-edge', 'shallow', 'anon-moves', 'anon-growth', 'recovered', 'outside', 'steady', 'single'];
export const SHOWS_PATTERN: Record<MemoryScenario, boolean> = {
  evict: true,
  'evict-edge': true,
  shallow: false,
  'anon-moves': false,
  'anon-growth': false,
  recovered: true,
  outside: false,
  steady: false,
  single: false,
};

export interface MemoryHost {
  name: string;
  scenario: MemoryScenario;
  kernel: string;
  swappiness: string;
  /** Whether its samples go to the samples index (else to history, as full snapshots). */
  viaSamples: boolean;
  /** (time, meminfo text) */
  meminfo: { at: string; content: string }[];
}

export interface MemoryFleetOptions {
  hosts: number;
  /** Window start; observations every 10 s for 2 minutes from here, and 2 minutes after. */
  from: string;
  seed?: number;
}

const KIB_PER_GIB = 1024 * 1024;
const KERNELS = ['3.10.0-1160.el7.x86_64', '4.19.0-27-amd64', '5.15.0-91-generic', '6.1.0-18-amd64'];

export function simulateMemoryFleet(o: MemoryFleetOptions): MemoryHost[] {
  const start = Date.parse(o.from);
  return Array.from({ length: o.hosts }, (_, i) => {
    const rnd = new Random(hostSeed(o.seed ?? 14, i));
    const scenario = i < CYCLE.length * 2 ? CYCLE[i % CYCLE.length] : rnd.pick(CYCLE);
    const totalKb = rnd.pick([16, 32, 64, 128]) * KIB_PER_GIB;
    const cached0 = Math.round(totalKb * (0.2 + rnd.next() * 0.3));
    const anon0 = Math.round(totalKb * (0.3 + rnd.next() * 0.2));
    const steps = scenario === 'single' ? 1 : 24;
    const fallAt = rnd.int(3, 10);
    const meminfo = Array.from({ length: steps }, (_, k) => {
      const { cached, anon } = shape(scenario, k, fallAt, cached0, anon0, totalKb, rnd);
      const at = new Date(start + k * 10_000 + 500).toISOString();
      return { at, content: meminfoText(totalKb, cached, anon) };
    });
    return {
      name: `mem-${String(i).padStart(3, '0')}`,
      scenario,
      kernel: rnd.pick(KERNELS),
      swappiness: rnd.pick(['1', '10', '30', '60']),
      viaSamples: i % 2 === 0,
      meminfo,
    };
  });
}

/** Cached and AnonPages (kB) at step k; steps 12-23 lie after the 2-minute window. */
function shape(
  s: MemoryScenario,
  k: number,
  fallAt: number,
  cached0: number,
  anon0: number,
  total: number,
  rnd: Random,
): { cached: number; anon: number } {
  const after = k >= fallAt;
  const jitter = () => rnd.int(-512, 512);
  switch (s) {
    case 'evict':
      return {
        cached: after ? Math.round(cached0 * (0.05 + 0.03 * (fallAt - 3))) : cached0,
        anon: anon0 + (after ? Math.round(total * 0.005) : 0),
      };
    case 'evict-edge':
      return { cached: after ? Math.round(cached0 * 0.49) : cached0, anon: anon0 + (after ? Math.round(total * 0.019) : 0) };
    case 'shallow':
      return { cached: after ? Math.round(cached0 * 0.51) : cached0, anon: anon0 + jitter() };
    case 'anon-moves':
      return { cached: after ? Math.round(cached0 * 0.2) : cached0, anon: anon0 + (after ? Math.round(total * 0.021) : 0) };
    case 'anon-growth': {
      const given = after ? Math.round(cached0 * 0.7) : 0;
      return { cached: cached0 - given, anon: anon0 + given };
    }
    case 'recovered':
      return { cached: k === fallAt || k === fallAt + 1 ? Math.round(cached0 * 0.3) : cached0, anon: anon0 };
    case 'outside':
      return { cached: k >= 14 ? Math.round(cached0 * 0.1) : cached0, anon: anon0 };
    default:
      return { cached: cached0 + jitter(), anon: anon0 + jitter() };
  }
}

function meminfoText(total: number, cached: number, anon: number): string {
  const free = Math.max(65_536, total - cached - anon - 2 * KIB_PER_GIB);
  return [
    `MemTotal:       ${total} kB`,
    `MemFree:        ${free} kB`,
    `Buffers:        ${131_072} kB`,
    `Cached:         ${cached} kB`,
    `Active(file):   ${Math.round(cached * 0.4)} kB`,
    `Inactive(file): ${cached - Math.round(cached * 0.4)} kB`,
    `Dirty:          ${1024} kB`,
    `Writeback:      0 kB`,
    `AnonPages:      ${anon} kB`,
    '',
  ].join('\n');
}
