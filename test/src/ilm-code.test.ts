import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { currentIndex, historyIndex, historyIndexDay, ilmIndexSettings, ilmPolicy, lifecyclePolicyId, pruneHistory } from '@mitra/core';
import { FLAVORS, flavorJavaHome } from '@mitra/engine';
import { loadAssets } from '@mitra/ingest-pipelines';

/**
 * History retention on Elasticsearch 8 and 9 with ILM, checked against ILM's own code. No regular
 * distribution resolves from Maven Central, so no ILM runs here; but the integration-test
 * distributions of 8.19.0 and 9.2.4 do, and their x-pack-core module holds what ILM runs on Mitra's
 * input: the policy parser and its validation, the lifecycle index settings, the parser of the date
 * in an index name, and the policy's own steps, from its first (InitializePolicyContextStep: what
 * ILM runs when it takes an index on, new or existing) to DeleteStep, whose delete request is recorded.
 * test/ilm-code/ holds a small Java program, compiled here against each version, that feeds them what
 * `mitra setup` writes. Not ILM's code: what moves an index from step to step and the age check before
 * a phase (ILM's runner, in the ILM module, which no registry serves), written after its source in
 * test/ilm-code/src/common/dev/mitra/ilmcode/PolicyRun.java; not covered: ILM's scheduler.
 */

const REPO = resolve(__dirname, '..', '..');
const HOME = join(REPO, 'test', 'ilm-code');
const POM = join(HOME, 'pom.xml');
const WORK = join(REPO, 'test', '.work', 'ilm-code');
const VERSIONS = ['8.19.0', '9.2.4'] as const;
type Version = (typeof VERSIONS)[number];
const DAY_MS = 86_400_000;
/** A history index's day: YYYY.MM.DD in UTC. */
const dayName = (t: number) => new Date(t).toISOString().slice(0, 10).replaceAll('-', '.');
const startOfDay = (t: number) => t - (t % DAY_MS);
// Both versions run on the JDK the es9 flavour runs on (9.x needs Java 21 or newer).
const JDK = flavorJavaHome(FLAVORS.es9) ?? '';

const distribution = (v: Version) => join(WORK, `elasticsearch-${v}`);
const classes = (v: Version) => join(WORK, `classes-${v}`);
const classpath = (v: Version) =>
  [classes(v), join(distribution(v), 'lib', '*'), join(distribution(v), 'modules', 'x-pack-core', '*')].join(':');
/** The common sources, and the Initialize.java of the version's major (steps act on a cluster state in 8, on a project in 9). */
const sources = (v: Version) =>
  [join(HOME, 'src', 'common'), join(HOME, 'src', `es${v.split('.')[0]}`)].flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.java'))
      .map((f) => join(dir, f)),
  );
const newer = (a: string, b: string) => existsSync(a) && statSync(a).mtimeMs >= statSync(b).mtimeMs;

function spawnOrThrow(what: string, command: string, args: string[]): string {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 10 * 60_000 });
  if (run.status !== 0) throw new Error(`${what} failed (${run.status ?? run.error?.message}):\n${run.stdout}${run.stderr}`.slice(-4000));
  return run.stdout;
}

beforeAll(() => {
  if (!VERSIONS.every((v) => newer(distribution(v), POM)))
    spawnOrThrow('mvn package of test/ilm-code', 'mvn', ['-q', '-B', '-f', POM, 'package']);
  for (const v of VERSIONS) {
    const marker = join(classes(v), 'compiled');
    if (sources(v).every((f) => newer(marker, f))) continue;
    rmSync(classes(v), { recursive: true, force: true });
    spawnOrThrow(`javac against ${v}`, join(JDK, 'bin', 'javac'), ['-nowarn', '-d', classes(v), '-cp', classpath(v), ...sources(v)]);
    writeFileSync(marker, '');
  }
}, 11 * 60_000);

interface PolicyAnswer {
  error?: string;
  name?: string;
  type?: string;
  meta?: Record<string, unknown>;
  phases?: Record<string, { min_age_millis: number; actions: string[] }>;
}

interface Answer {
  version: string;
  policies: PolicyAnswer[];
  settings: {
    keys: string[];
    lifecycle_name_key: string;
    lifecycle_name: string;
    parse_origination_date_key: string;
    parse_origination_date: boolean;
    should_parse_index_name: boolean;
  };
  origination: Record<
    string,
    { millis?: number; error?: string; first_step?: { origination_date: number | null; lifecycle_date: number }; first_step_error?: string }
  >;
  /** The policy's steps run on each index of the request's runs, at its `now`. */
  runs: { index: string; steps?: string[]; requests?: string[]; end?: string; error?: string }[];
}

interface Request {
  /** PUT _ilm/policy/<name> requests; the first one that parses is the policy whose first step runs. */
  policies: { name: string; body: unknown }[];
  indexSettings: unknown;
  indices: string[];
  /** When each history index was created (epoch ms), for the first step. */
  createdAt: number;
  /** When the runs happen (epoch ms; default: the program's clock). */
  now?: number;
  /** Indices, each created at its time, to run the policy's steps on (at the run's own `now` when it has one). */
  runs?: { index: string; createdAt: number; now?: number }[];
}

/** The request, through ILM's code of one Elasticsearch version. */
function throughIlm(version: Version, request: Request): Answer {
  const file = join(WORK, `request-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(request));
  const stdout = spawnOrThrow(`IlmCode on ${version}`, join(JDK, 'bin', 'java'), [
    '-cp',
    classpath(version),
    'dev.mitra.ilmcode.IlmCode',
    file,
  ]);
  const answer = JSON.parse(stdout.trim().split('\n').pop()!) as Answer;
  expect(answer.version).toBe(version);
  return answer;
}

const PREFIXES = ['mitra_', 'mitra-', 't-ilm-7-'];
const RETENTIONS = [1, 90, 3650];

/** What `mitra setup` writes for a prefix: the policy of each retention, the history index settings, and history days. */
function request(prefix: string, days = RETENTIONS): Request {
  const name = lifecyclePolicyId(prefix);
  return {
    policies: days.map((d) => ({ name, body: ilmPolicy(d) })),
    indexSettings: { index: ilmIndexSettings(name) },
    indices: ['2026.11.20', '2024.02.29', '2000.01.01', '2099.12.31'].map((day) => historyIndex(prefix, day)),
    createdAt: Date.now(),
  };
}

describe.each(VERSIONS)('Elasticsearch %s ILM code', (version) => {
  test('the policy mitra setup writes parses and validates: one delete phase, retention + 1 days after the day in the name', () => {
    for (const prefix of PREFIXES) {
      const { policies } = throughIlm(version, request(prefix));
      expect(policies).toEqual(
        RETENTIONS.map((days) => ({
          name: lifecyclePolicyId(prefix),
          type: 'timeseries',
          meta: { managed_by: 'mitra', retention_days: days },
          phases: { delete: { min_age_millis: (days + 1) * DAY_MS, actions: ['delete'] } },
        })),
      );
    }
  });

  test('the checker can fail: a misspelt action, a unit-less age and a bad policy name are refused', () => {
    const name = 'mitra_history-retention';
    const { policies } = throughIlm(version, {
      ...request('mitra_'),
      policies: [
        { name, body: { policy: { phases: { delete: { min_age: '91d', actions: { delet: {} } } } } } },
        { name, body: { policy: { phases: { delete: { min_age: '91', actions: { delete: {} } } } } } },
        { name: '_bad name', body: ilmPolicy(90) },
      ],
    });
    expect(policies.map((p) => p.error)).toEqual([
      expect.stringMatching(/\[delet\]/),
      expect.stringMatching(/unit/),
      expect.stringMatching(/policy name/),
    ]);
  });

  test('the index settings are the ones ILM reads: the policy name, and the age taken from the index name', () => {
    const { settings } = throughIlm(version, request('mitra_'));
    expect(settings).toEqual({
      keys: ['index.lifecycle.name', 'index.lifecycle.parse_origination_date'],
      lifecycle_name_key: 'index.lifecycle.name',
      lifecycle_name: 'mitra_history-retention',
      parse_origination_date_key: 'index.lifecycle.parse_origination_date',
      parse_origination_date: true,
      should_parse_index_name: true,
    });
  });

  test('ILM dates every history index at the start of the day in its name, the day mitra prune reads', () => {
    for (const prefix of PREFIXES) {
      const req = request(prefix, [5]);
      const { origination } = throughIlm(version, req);
      for (const index of req.indices) {
        expect({ index, millis: origination[index].millis }).toEqual({ index, millis: historyIndexDay(prefix, index)!.getTime() });
      }
    }
  });

  test("ILM's first step on a history index created today for a day ten days ago dates it by its name, so the delete phase is due", () => {
    // A backfill, or an agent back from an outage: the day's index is created now.
    const tenDaysAgo = dayName(Date.now() - 10 * DAY_MS);
    for (const prefix of PREFIXES) {
      const late = historyIndex(prefix, tenDaysAgo);
      const createdAt = Date.now();
      const { origination, policies } = throughIlm(version, { ...request(prefix, [5]), indices: [late], createdAt });
      const day = historyIndexDay(prefix, late)!.getTime();
      // The step keeps the creation as the lifecycle date and sets the origination date from the name; ILM's runner ages an
      // index from the origination date when one is set (IndexLifecycleRunner.calculateOriginationMillis, in the ILM module).
      expect(origination[late].first_step).toEqual({ origination_date: day, lifecycle_date: createdAt });
      const deleteAfter = policies[0].phases!.delete.min_age_millis;
      expect(Date.now() - day).toBeGreaterThanOrEqual(deleteAfter);
      expect(Date.now() - createdAt).toBeLessThan(deleteAfter);
    }
  });

  test('without the name setting the first step sets no origination date (the age would be the creation); a name without a day fails it', () => {
    const req = request('mitra_', [5]);
    const plain = throughIlm(version, { ...req, indexSettings: { index: { lifecycle: { name: lifecyclePolicyId('mitra_') } } } });
    expect(plain.origination[req.indices[0]].first_step).toEqual({ origination_date: null, lifecycle_date: req.createdAt });
    const { origination } = throughIlm(version, { ...req, indices: ['mitra_current'] });
    expect(origination.mitra_current.first_step_error).toMatch(/does not match pattern/);
  });
});

/** What `mitra prune` (the 7.10 engine's retention) would delete of these indices at `now`, through its own code. */
async function pruneWouldDelete(prefix: string, days: number, indices: string[], now: number): Promise<string[]> {
  const rows = indices.map((index) => ({ index, 'store.size': '0' }));
  const listing = { cat: { indices: async () => rows }, indices: { delete: async () => ({}) } } as unknown as Parameters<
    typeof pruneHistory
  >[0];
  const result = await pruneHistory(listing, prefix, days, { dryRun: true, now: new Date(now) });
  return result.deleted.map((d) => d.index);
}

describe.each(VERSIONS)('Elasticsearch %s ILM steps', (version) => {
  test("ILM's own steps delete a history day past retention, one written late too, and only that index; today's day waits for the delete phase", () => {
    const now = Date.now();
    for (const prefix of PREFIXES) {
      const old = historyIndex(prefix, dayName(now - 100 * DAY_MS));
      const today = historyIndex(prefix, dayName(now));
      const { runs } = throughIlm(version, {
        ...request(prefix, [90]),
        now,
        runs: [
          { index: old, createdAt: startOfDay(now - 100 * DAY_MS) },
          // A backfill or an agent back from a long outage: the old day's index is created now.
          { index: old, createdAt: now },
          { index: today, createdAt: startOfDay(now) },
        ],
      });
      const deleted = {
        steps: expect.arrayContaining(['new/init/init', 'new/complete/complete', 'delete/delete/delete']),
        requests: ['cluster:monitor/xpack/info/ccr', `indices:admin/delete ${old}`],
        end: 'deleted',
      };
      expect(runs).toEqual([
        { index: old, ...deleted },
        { index: old, ...deleted },
        { index: today, steps: ['new/init/init', 'new/complete/complete'], requests: [], end: 'waiting for the delete phase' },
      ]);
      expect(runs[0].steps!.at(-1)).toBe('delete/delete/delete');
    }
  });

  test('ILM and mitra prune delete the same days: every day around the retention boundary, at five times of a day', async () => {
    const base = startOfDay(Date.now());
    const prefix = 'mitra_';
    for (const days of [1, 90]) {
      const runs = [0, 1, 12 * 3_600_000, DAY_MS - 60_000, DAY_MS - 1].flatMap((time) => {
        const now = base + time;
        return [days - 1, days, days + 1, days + 2, days + 3].map((ago) => {
          const index = historyIndex(prefix, dayName(now - ago * DAY_MS));
          // Created in the first minute of its day, as the day's first snapshot creates it.
          return { index, now, createdAt: Math.min(now, historyIndexDay(prefix, index)!.getTime() + 60_000) };
        });
      });
      const answer = throughIlm(version, { ...request(prefix, [days]), runs });
      for (const now of new Set(runs.map((r) => r.now))) {
        const at = runs.flatMap((r, i) => (r.now === now ? [{ index: r.index, end: answer.runs[i].end }] : []));
        const ilm = at.filter((r) => r.end === 'deleted').map((r) => r.index);
        const prune = await pruneWouldDelete(
          prefix,
          days,
          at.map((r) => r.index),
          now,
        );
        expect({ days, at: new Date(now).toISOString(), deleted: ilm.sort() }).toEqual({
          days,
          at: new Date(now).toISOString(),
          deleted: prune,
        });
        // The boundary falls inside the window: some days go, some stay.
        expect(ilm.length).toBeGreaterThan(0);
        expect(ilm.length).toBeLessThan(at.length);
      }
    }
  });

  test('without the name setting a day written late waits a whole retention from its creation: the setting is what deletes it', () => {
    const now = Date.now();
    const late = historyIndex('mitra_', dayName(now - 100 * DAY_MS));
    const { runs } = throughIlm(version, {
      ...request('mitra_', [90]),
      indexSettings: { index: { lifecycle: { name: lifecyclePolicyId('mitra_') } } },
      now,
      runs: [{ index: late, createdAt: now }],
    });
    expect(runs).toEqual([
      { index: late, steps: ['new/init/init', 'new/complete/complete'], requests: [], end: 'waiting for the delete phase' },
    ]);
  });

  test('the current-state index, with the settings its template gives it, names no policy: ILM never runs on it', () => {
    const template = loadAssets('mitra_').find((a) => a.kind === 'index_template' && a.id === currentIndex('mitra_'));
    const { runs } = throughIlm(version, {
      ...request('mitra_', [90]),
      indexSettings: (template!.body as { template: { settings: unknown } }).template.settings,
      now: Date.now(),
      runs: [{ index: 'mitra_current', createdAt: 0 }],
    });
    expect(runs).toEqual([{ index: 'mitra_current', steps: [], requests: [], end: 'not managed' }]);
  });
});
