import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestCluster } from './support/cluster';
import { samplePipeline } from '@mitra/core';

/** The incident fixtures (test/fixtures/incident): recorded 2016-09-10 files plus the derived ones, listed in manifest.json. */
export const FIXTURES = resolve(__dirname, '..', 'fixtures', 'incident');

export interface FixtureSnapshot {
  at: string;
  path: string;
  file: string;
}
export interface Scenario {
  host: string;
  snapshots: FixtureSnapshot[];
}

export const scenarios = (): Scenario[] => JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')).scenarios;
export const scenario = (host: string): Scenario => scenarios().find((s) => s.host === host)!;
export const fixtureText = (file: string): string => readFileSync(join(FIXTURES, file), 'utf8');

/** Ships snapshots as the agent does for a change: history and current, through the real snapshot pipeline. */
export async function sendHistory(c: Pick<TestCluster, 'client' | 'pipeline'>, host: string, snapshots: FixtureSnapshot[]): Promise<void> {
  const operations = snapshots.flatMap((s) =>
    (['history', 'current'] as const).flatMap((target) => [
      { index: { _index: 'incoming' } },
      {
        '@timestamp': s.at,
        host: { name: host },
        file: { path: s.path },
        mitra: { content: fixtureText(s.file), target, changed_at: s.at },
      },
    ]),
  );
  await bulk(c, c.pipeline, operations);
}

/** Ships the four /proc memory files as compact samples (one document per instant) through the real sample pipeline. */
export async function sendSamples(c: TestCluster, host: string, snapshots: FixtureSnapshot[]): Promise<void> {
  const byAt = new Map<string, Record<string, string>>();
  for (const s of snapshots) {
    const kind = /^\/proc\/(meminfo|vmstat|zoneinfo|buddyinfo)$/.exec(s.path)?.[1];
    if (!kind) continue;
    byAt.set(s.at, { ...byAt.get(s.at), [kind]: fixtureText(s.file) });
  }
  const operations = [...byAt].flatMap(([at, sample]) => [
    { index: { _index: 'incoming' } },
    { '@timestamp': at, host: { name: host }, mitra: { sample } },
  ]);
  await bulk(c, samplePipeline(c.prefix), operations);
}

async function bulk(c: Pick<TestCluster, 'client'>, pipeline: string, operations: object[]): Promise<void> {
  const res = await c.client.bulk({ pipeline, operations, refresh: true });
  if (res.errors) throw new Error(JSON.stringify(res.items.find((i) => i.index?.error)));
}

// --- independent readings of the fixture files (plain text, no pipeline) -------------

export function meminfoKb(text: string): Record<string, number> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes(':'))
      .map((l) => [
        l.slice(0, l.indexOf(':')),
        Number(
          l
            .slice(l.indexOf(':') + 1)
            .trim()
            .split(/\s+/)[0],
        ),
      ]),
  );
}

/** "Node 0, zone Normal" → { free, min, low, high, managed }. */
export function zoneinfoPages(text: string): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  let zone: Record<string, number> | undefined;
  for (const line of text.split('\n')) {
    const head = /^Node (\d+), zone\s+(\S+)/.exec(line);
    if (head) out.set(`Node ${head[1]} ${head[2]}`, (zone = {}));
    const kv = /^\s+(?:pages )?(free|min|low|high|managed)\s+(\d+)$/.exec(line);
    if (kv && zone) zone[kv[1]] = Number(kv[2]);
  }
  return out;
}

export function buddyCounts(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    const m = /^Node (\d+), zone\s+(\S+)\s+(.*)$/.exec(line);
    if (m) out.set(`Node ${m[1]} ${m[2]}`, m[3].trim().split(/\s+/).map(Number));
  }
  return out;
}

export function vmstatCounters(text: string): Record<string, number> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '))
      .map(([k, v]) => [k, Number(v)]),
  );
}
