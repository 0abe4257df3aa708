import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { historyIndex, historyIndexDay, ilmIndexSettings, ilmPolicy, lifecyclePolicyId } from '@mitra/core';
import { FLAVORS, flavorJavaHome } from '@mitra/engine';

/**
 * History retention on Elasticsearch 8 and 9 with ILM, checked against ILM's own code. No regular
 * distribution resolves from Maven Central, so no ILM runs here; but the integration-test
 * distributions of 8.19.0 and 9.2.4 do, and their x-pack-core module holds what ILM runs on Mitra's
 * input: the policy parser and its validation, the lifecycle index settings, and the parser of the
 * date in an index name (InitializePolicyContextStep, also in x-pack-core, calls it when ILM first
 * takes an index on, new or existing). test/ilm-code/ builds a small Java program that feeds
 * them what `mitra setup` writes. Not covered: ILM's scheduler and its delete step (the ILM
 * module, which no registry serves).
 */

const REPO = resolve(__dirname, '..', '..');
const POM = join(REPO, 'test', 'ilm-code', 'pom.xml');
const SOURCE = join(REPO, 'test', 'ilm-code', 'src', 'main', 'java', 'dev', 'mitra', 'ilmcode', 'IlmCode.java');
const WORK = join(REPO, 'test', '.work', 'ilm-code');
const JAR = join(WORK, 'build', 'mitra-ilm-code-1.0.0.jar');
const VERSIONS = ['8.19.0', '9.2.4'] as const;
const DAY_MS = 86_400_000;

interface Answer {
  version: string;
  policy: {
    error?: string;
    name?: string;
    type?: string;
    meta?: Record<string, unknown>;
    phases?: Record<string, { min_age_millis: number; actions: string[] }>;
  };
  settings: {
    keys: string[];
    lifecycle_name_key: string;
    lifecycle_name: string;
    parse_origination_date_key: string;
    parse_origination_date: boolean;
    should_parse_index_name: boolean;
  };
  origination: Record<string, { millis?: number; error?: string }>;
}

interface Request {
  /** PUT _ilm/policy/<name> requests. */
  policies: { name: string; body: unknown }[];
  indexSettings: unknown;
  indices: string[];
}

const newer = (a: string, b: string) => existsSync(a) && statSync(a).mtimeMs >= statSync(b).mtimeMs;

beforeAll(() => {
  if (newer(JAR, SOURCE) && newer(JAR, POM) && VERSIONS.every((v) => existsSync(join(WORK, `elasticsearch-${v}`)))) return;
  const mvn = spawnSync('mvn', ['-q', '-B', '-f', POM, 'package', '-DskipTests'], { encoding: 'utf8', timeout: 10 * 60_000 });
  if (mvn.status !== 0)
    throw new Error(`mvn package of test/ilm-code failed (${mvn.status ?? mvn.error?.message}):\n${mvn.stdout}${mvn.stderr}`.slice(-4000));
}, 11 * 60_000);

/** The request, through ILM's code of one Elasticsearch version. */
function throughIlm(version: (typeof VERSIONS)[number], request: Request): Answer {
  mkdirSync(WORK, { recursive: true });
  const file = join(WORK, `request-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(request));
  const home = join(WORK, `elasticsearch-${version}`);
  // Both versions run on the JDK the es9 flavour runs on (9.x needs Java 21 or newer).
  const java = join(flavorJavaHome(FLAVORS.es9) ?? '', 'bin', 'java');
  const run = spawnSync(
    java,
    ['-cp', [JAR, join(home, 'lib', '*'), join(home, 'modules', 'x-pack-core', '*')].join(':'), 'dev.mitra.ilmcode.IlmCode', file],
    {
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  if (run.status !== 0) throw new Error(`IlmCode on ${version} failed (${run.status ?? run.error?.message}):\n${run.stderr}`.slice(-4000));
  const answer = JSON.parse(run.stdout.trim().split('\n').pop()!) as Answer;
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

  test('ILM dates every history index at the start of the day in its name, the day mitra prune reads, so a late day is as old as its name', () => {
    // A day ten days old, written today (a backfill, an agent back from an outage).
    const tenDaysAgo = new Date(Date.now() - 10 * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '.');
    for (const prefix of PREFIXES) {
      const req = request(prefix, [5]);
      const late = historyIndex(prefix, tenDaysAgo);
      const { origination, policies } = throughIlm(version, { ...req, indices: [...req.indices, late] });
      for (const index of [...req.indices, late]) {
        expect({ index, millis: origination[index].millis }).toEqual({ index, millis: historyIndexDay(prefix, index)!.getTime() });
      }
      // ILM's age is now minus that origination, so the delete phase (6 days) is due at its next run, whatever the creation date.
      expect(Date.now() - origination[late].millis!).toBeGreaterThanOrEqual(policies[0].phases!.delete.min_age_millis);
    }
  });
});
