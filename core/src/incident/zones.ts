import type { Observation, PerZone } from './types';

/** Zone names as the kernel prints them; the pipeline stores them lower-cased. */
const ZONE_NAMES: Record<string, string> = {
  dma: 'DMA',
  dma32: 'DMA32',
  normal: 'Normal',
  highmem: 'HighMem',
  movable: 'Movable',
  device: 'Device',
};

export interface ZoneKey {
  node: number;
  zone: string;
  /** "Node 0 Normal". */
  label: string;
}

export const zoneLabel = (node: number, zone: string): string => `Node ${node} ${ZONE_NAMES[zone] ?? zone}`;

/** Every (node, zone) seen in any observation, in node then kernel zone order. */
export function zonesOf(obs: Observation<PerZone>[]): ZoneKey[] {
  const seen = new Map<string, ZoneKey>();
  for (const o of obs) {
    for (const [nodeKey, zones] of Object.entries(o.values)) {
      const node = Number(/^node(\d+)$/.exec(nodeKey)?.[1]);
      if (!Number.isInteger(node)) continue;
      for (const zone of Object.keys(zones)) seen.set(`${node}/${zone}`, { node, zone, label: zoneLabel(node, zone) });
    }
  }
  const order = Object.keys(ZONE_NAMES);
  const rank = (z: string) => (order.includes(z) ? order.indexOf(z) : order.length);
  return [...seen.values()].sort((a, b) => a.node - b.node || rank(a.zone) - rank(b.zone) || a.zone.localeCompare(b.zone));
}

/** One zone's numbers in one observation, if it has them. */
export const zoneValues = (o: Observation<PerZone>, z: ZoneKey): Record<string, number> | undefined => o.values[`node${z.node}`]?.[z.zone];
