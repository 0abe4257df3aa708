import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { z } from 'zod';
import {
  API_ROUTES,
  clientOptions,
  COMMAND_FLAGS,
  commandShape,
  QUESTIONS,
  questionFlags,
  createApiServer,
  createRule,
  createSaved,
  fieldInfo,
  resolveConnection,
  type ApiRoute,
  type CommandName,
} from '@mitra/core';
import { stdio } from '../../cli/src/command';
import { main } from '../../cli/src/main';
import { runMitra } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * Fuzzes every API route and every CLI command with malformed input generated
 * from their declared shapes (core/src/api/routes/*.ts, core/src/commands.ts):
 * wrong types, out-of-range and huge numbers, huge, empty, unicode and control
 * strings, malformed dates, repeated and unknown parameters, bad JSON bodies and
 * wrong methods. Every answer must be < 500, carry no stack trace or Java class,
 * come back in time, and, whenever the declared shape refuses the input, be a
 * 400 / exit 2 whose one line names the offending parameter.
 */

const REQUEST_TIMEOUT_MS = 20_000;
const HUGE = 'x'.repeat(6000); // under node's 16 KB header limit, so it reaches the route
const HUGE_BODY = 'y'.repeat(200_000);

/** Bad texts for any typed parameter (query strings and flags carry text). */
const BAD_TEXTS = [
  '',
  ' ',
  'abc',
  '-1',
  '0',
  '1.5',
  '1e23',
  '1001',
  '10000',
  '65536',
  '99999999999999999999999',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  'null',
  '[]',
  '{}',
  '2026-13-45',
  '2026-02-30T25:61:00Z',
  '0001-01-01',
  '-99999999999d',
  '9999999999999999w',
  HUGE,
  '\u0000',
  'a\u0007b',
  'é漢字🙂',
  '\u202e\ufeff',
  '../../etc/passwd',
  '"; DROP',
  '*:*',
  '{{x}}',
];

/** Bad JSON values for body fields. */
const BAD_JSON: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e23,
  -1e23,
  true,
  false,
  '',
  'x',
  'NaN',
  'Infinity',
  HUGE_BODY,
  [],
  [1],
  {},
  { a: 1 },
  'é漢字🙂\u0000',
];

/** Whole bodies that are not JSON objects, or not JSON at all. */
const BAD_BODIES = ['{', '[1,2', 'null', '"text"', '123', 'true', '[]', '{"a":', 'NaN', '\u0000', `{"x":"${HUGE_BODY}"}`];

const STACK = /\n\s+at |^\s+at /m;
const CLASS_DUMP = /\b[A-Z]\w*(?:Error|Exception)\b|\b(?:java|org\.elasticsearch|org\.apache)\.[\w.]+/;

/** The object shape inside a declared shape (query shapes are preprocess/refine wrappers around one). */
function objectOf(schema: z.ZodTypeAny | undefined): z.ZodObject<z.ZodRawShape> | undefined {
  let s = schema;
  for (let i = 0; s && i < 8; i++) {
    if (s instanceof z.ZodObject) return s;
    if (s instanceof z.ZodEffects) s = s.innerType() as z.ZodTypeAny;
    else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodTypeAny;
    else return undefined;
  }
  return undefined;
}

/** A valid value for a body field, from its declared shape. */
function sample(schema: z.ZodTypeAny): unknown {
  const info = fieldInfo(schema);
  if (info) return info.kind === 'int' ? Number(info.example) : info.example;
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodEffects)
    s = (s instanceof z.ZodEffects ? s.innerType() : s.unwrap()) as z.ZodTypeAny;
  if (s instanceof z.ZodObject) return sampleObject(s);
  if (s instanceof z.ZodDiscriminatedUnion) return sample(s.options[0] as z.ZodTypeAny);
  if (s instanceof z.ZodLiteral) return s.value;
  if (s instanceof z.ZodRecord) return {};
  if (s instanceof z.ZodArray) return [];
  if (s instanceof z.ZodBoolean) return true;
  if (s instanceof z.ZodNumber) return 1;
  return 'x';
}

function sampleObject(obj: z.ZodObject<z.ZodRawShape>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(obj.shape)) if (!f.isOptional()) out[k] = sample(f);
  return out;
}

/** The field a refusal should name: the last named key on the first issue's path. */
function offending(schema: z.ZodTypeAny, input: unknown): string | undefined | null {
  const res = schema.safeParse(input);
  if (res.success) return null;
  const issue = res.error.issues[0];
  if (issue.code === 'unrecognized_keys') return issue.keys[0];
  const named = issue.path.filter((p): p is string => typeof p === 'string');
  return named[named.length - 1];
}

/**
 * node:http rather than fetch: fetch refuses a body on GET, which is exactly what a careless client sends.
 * Sent as the app sends it (kbn-xsrf, JSON), so what is fuzzed is the parameters, not the CSRF guard
 * (test/src/api-security.test.ts covers that).
 */
function rawRequest(method: string, url: string, body: string | undefined): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'kbn-xsrf': 'mitra-fuzz' };
    if (body !== undefined)
      Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    else if (method !== 'GET') headers['content-type'] = 'application/json';
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function expectClean(text: string, what: string): void {
  if (STACK.test(text) || CLASS_DUMP.test(text)) throw new Error(`${what}: internals in the answer: ${text.slice(0, 300)}`);
}

describe('fuzz: every API route and CLI command, from the declared shapes', () => {
  let c: TestCluster;
  let server: Server;
  let base: string;
  const totals = new Map<string, number>();
  const count = (key: string) => totals.set(key, (totals.get(key) ?? 0) + 1);
  const failures: string[] = [];

  beforeAll(async () => {
    c = await testCluster('fuzz');
    await c.setup();
    const ctx = { client: c.client, prefix: c.prefix };
    // Named things exist, so PUT/run/eval reach their own validation and handlers.
    await createSaved(ctx, { name: 'lacking-zsh', kind: 'hosts', params: { missingPackage: 'zsh' } });
    await createRule(ctx, { name: 'zsh-missing', search: 'lacking-zsh', condition: { type: 'matches_above', threshold: 3 } });
    server = createApiServer({ ctx });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await c?.cleanup();
  });

  /** One request; records a failure instead of throwing, so one run reports every broken case. */
  async function send(route: string, method: string, path: string, body: string | undefined, expectName?: string | null) {
    count(route);
    let status = 0;
    let text = '';
    try {
      ({ status, text } = await rawRequest(method, base + path, body));
    } catch (e) {
      failures.push(`${method} ${path.slice(0, 120)}: ${(e as Error).message}`);
      return;
    }
    const what = `${method} ${path.slice(0, 160)} ${body?.slice(0, 80) ?? ''} → ${status}`;
    try {
      if (status >= 500) throw new Error(`${what}: 5xx: ${text.slice(0, 300)}`);
      expectClean(text, what);
      if (status >= 400) {
        let message: unknown;
        try {
          message = (JSON.parse(text) as { message?: unknown }).message;
        } catch {
          throw new Error(`${what}: not a JSON answer: ${JSON.stringify(text.slice(0, 100))}`);
        }
        if (typeof message !== 'string' || message.includes('\n')) throw new Error(`${what}: not one line: ${text.slice(0, 200)}`);
        if (expectName && !message.includes(expectName)) throw new Error(`${what}: does not name ${expectName}: ${message}`);
        // Elasticsearch refusing what the shapes let through means a shape is missing a bound.
        if (/answered 4\d\d/.test(message)) throw new Error(`${what}: Elasticsearch refused an input the shapes accepted: ${message}`);
      }
      if (expectName && status !== 400 && status !== 405)
        throw new Error(`${what}: the shape refuses this input (${expectName}) but the answer is ${status}`);
    } catch (e) {
      failures.push((e as Error).message);
    }
  }

  /** Runs async jobs a few at a time (the server and the engine share two cores with everything else). */
  async function pool(jobs: (() => Promise<void>)[], width = 6): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < jobs.length) await jobs[next++]();
      }),
    );
  }

  const concrete = (route: ApiRoute) => route.path.replace(':name', route.path.includes('/saved/') ? 'lacking-zsh' : 'zsh-missing');
  const qs = (q: Record<string, string | string[]>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
    const s = p.toString();
    return s ? `?${s}` : '';
  };

  function queryCases(route: ApiRoute): { query: Record<string, string | string[]>; name: string | undefined | null }[] {
    const obj = objectOf(route.query);
    if (!obj) return [];
    const baseline = baselineQuery(route);
    const cases: { query: Record<string, string | string[]> }[] = [];
    for (const [k, f] of Object.entries(obj.shape)) {
      for (const v of BAD_TEXTS) cases.push({ query: { ...baseline, [k]: v } });
      cases.push({ query: { ...baseline, [k]: [fieldInfo(f)?.example ?? 'x', 'again'] } });
      if (!f.isOptional()) {
        const rest = { ...baseline };
        delete rest[k];
        cases.push({ query: rest });
      }
    }
    cases.push({ query: { ...baseline, zzz_unknown: '1' } }, { query: { ...baseline, 'a[b]': 'c' } });
    return cases.map((q) => ({ ...q, name: offending(route.query, q.query) }));
  }

  function bodyCases(route: ApiRoute): { body: string; name: string | undefined | null }[] {
    const obj = objectOf(route.body);
    const cases: unknown[] = [];
    if (obj) {
      const baseline = sampleObject(obj);
      for (const [k, f] of Object.entries(obj.shape)) {
        for (const v of BAD_JSON) cases.push({ ...baseline, [k]: v });
        if (!f.isOptional()) {
          const rest = { ...baseline };
          delete rest[k];
          cases.push(rest);
        }
        // One level down: nested objects get unknown keys and bad values too.
        const value = sample(f);
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          cases.push({ ...baseline, [k]: { ...value, zzz_unknown: 1 } });
          for (const key of Object.keys(value))
            for (const v of BAD_JSON.slice(0, 8)) cases.push({ ...baseline, [k]: { ...value, [key]: v } });
        }
      }
      cases.push({ ...baseline, zzz_unknown: 1 });
    } else {
      cases.push({ a: 1 }, [1], 'x');
    }
    return cases.map((b) => ({ body: JSON.stringify(b), name: offending(route.body, b) }));
  }

  it('answers every malformed API request with a one-line 4xx naming the parameter, never a 5xx', async () => {
    const jobs: (() => Promise<void>)[] = [];
    for (const route of API_ROUTES) {
      const key = `${route.method} ${route.path}`;
      const path = concrete(route);
      const hasBody = route.method === 'POST' || route.method === 'PUT';
      const validBody = hasBody ? JSON.stringify(sample(route.body) ?? {}) : undefined;
      for (const q of queryCases(route)) jobs.push(() => send(key, route.method, path + qs(q.query), validBody, q.name));
      if (hasBody) for (const b of bodyCases(route)) jobs.push(() => send(key, route.method, path, b.body, b.name));
      // Bad JSON and non-object bodies, on every route (GET/DELETE take none).
      for (const raw of BAD_BODIES) jobs.push(() => send(key, route.method, path + qs(baselineQuery(route)), raw, bodyName(route, raw)));
      // Wrong methods: 405 naming the method, never a 5xx.
      for (const m of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].filter((m) => m !== route.method))
        if (!API_ROUTES.some((r) => r.method === m && r.path === route.path)) jobs.push(() => send(key, m, path, undefined, m));
      // Path parameters: hostile names.
      if (route.path.includes(':name'))
        for (const name of ['%00', 'a'.repeat(5000), '..', '%2e%2e%2f', 'é漢字🙂', '%E0%A4%A', ' ', 'a%0Ab'])
          jobs.push(() => send(key, route.method, route.path.replace(':name', name), validBody, undefined));
    }
    await pool(jobs);
    const apiTotal = [...totals.values()].reduce((a, b) => a + b, 0);
    console.log(
      `API fuzz: ${apiTotal} requests over ${API_ROUTES.length} routes\n${[...totals].map(([k, n]) => `  ${String(n).padStart(5)}  ${k}`).join('\n')}`,
    );
    // Distinct failures (by route and what went wrong), so one run shows every kind.
    const distinct = [...new Map(failures.map((f) => [f.replace(/[?\s].*?(→ \d+)/, ' $1').slice(0, 90), f])).values()];
    expect(distinct.slice(0, 30)).toEqual([]);
    expect(apiTotal).toBeGreaterThanOrEqual(2000);
  }, 900_000);

  /** What a refusal of a whole body names: the field the shape trips on, or the body itself. */
  function bodyName(route: ApiRoute, raw: string): string | null {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return 'request body';
    }
    const name = offending(route.body, parsed);
    return name === undefined ? 'request body' : name;
  }

  function baselineQuery(route: ApiRoute): Record<string, string> {
    const obj = objectOf(route.query);
    const required: Record<string, string> = {};
    const all: Record<string, string> = {};
    for (const [k, f] of Object.entries(obj?.shape ?? {})) {
      all[k] = fieldInfo(f)?.example ?? 'x';
      if (!f.isOptional()) required[k] = all[k];
    }
    // Some parameters are required together (diff by time needs host and path): then every example.
    return route.query.safeParse(required).success ? required : all;
  }

  /** The CLI in-process, through its main function, with stdout and stderr captured. */
  async function mitra(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const saved = { out: stdio.out, err: stdio.err, write: process.stdout.write };
    stdio.out = (line) => void (out += `${line}\n`);
    stdio.err = (line) => void (err += `${line}\n`);
    process.stdout.write = ((chunk: string) => ((out += String(chunk)), true)) as typeof process.stdout.write;
    try {
      const code = await Promise.race([
        main(argv),
        new Promise<number>((_, reject) => setTimeout(() => reject(new Error('hang')), REQUEST_TIMEOUT_MS).unref()),
      ]);
      return { code, out, err };
    } finally {
      stdio.out = saved.out;
      stdio.err = saved.err;
      process.stdout.write = saved.write;
    }
  }

  it('answers every malformed CLI invocation with exit 2 and one line naming the flag, never a stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitra-fuzz-'));
    const config = join(dir, 'runner.yaml');
    writeFileSync(config, 'files: [/etc/hostname]\n');
    // A valid invocation of each command that ends by itself (serve: its cluster is unreachable, so it never listens).
    const baselines: Record<string, string[]> = {
      setup: [],
      prune: ['--dry-run'],
      agent: ['--status', '-c', config, '--state-dir', dir],
      search: ['content:x'],
      hosts: ['--stale', '2h'],
      values: ['vm.swappiness'],
      drift: ['/etc/hosts'],
      get: ['web-01', '/etc/hosts'],
      id: ['web-01', '/etc/hosts'],
      history: ['web-01', '/etc/hosts'],
      diff: ['web-01', '/etc/hosts', '--from', '-1d'],
      saved: ['list'],
      alerts: ['list'],
      incident: ['web-01', '--from', '2016-09-10T10:53:00Z', '--to', '2016-09-10T10:54:00Z'],
      serve: ['--es', 'http://127.0.0.1:9'],
    };
    // Fuzzed paths (--state-dir "-1", --ui "0x10") are relative: keep whatever they create out of the repository.
    const cwd = process.cwd();
    process.chdir(dir);
    const cliTotals = new Map<string, number>();
    const cliFailures: string[] = [];
    const connectionFlags = new Set(Object.keys(COMMAND_FLAGS.setup));
    // The question commands' flags come from the catalog (their positional argument is in the baseline).
    const flagsOf = (command: string) => {
      const q = QUESTIONS.find((x) => x.id === command);
      if (q) return { shape: z.object(questionFlags(q)).strict(), flags: questionFlags(q) };
      return { shape: commandShape(command as CommandName), flags: COMMAND_FLAGS[command as CommandName] as z.ZodRawShape };
    };
    for (const [command, baseline] of Object.entries(baselines)) {
      const { shape, flags } = flagsOf(command);
      const argvBase = [command, ...baseline, '--prefix', c.prefix];
      const cases: { argv: string[]; flag?: string; refused: boolean }[] = [];
      for (const [flag, field] of Object.entries(flags)) {
        // The connection flags are one shared shape: fuzz them fully on one command, lightly elsewhere.
        const values = connectionFlags.has(flag) && command !== 'hosts' ? BAD_TEXTS.slice(0, 6) : BAD_TEXTS;
        const kind = fieldInfo(field as z.ZodTypeAny)?.kind;
        if (flag === 'help') continue;
        if (kind === 'flag') {
          for (const v of ['x', 'true', '1', '']) cases.push({ argv: [...argvBase, `--${flag}=${v}`], flag, refused: true });
          continue;
        }
        for (const raw of values) {
          // A valid --prefix would write (setup) under someone else's prefix: keep every prefix inside this test's own.
          const v = flag === 'prefix' && raw ? `${c.prefix}${raw}` : raw;
          const given = kind === 'list' ? [v] : v;
          const refused = !shape.safeParse({ [flag]: given }).success;
          cases.push({
            argv: [...argvBase.filter((a, i, all) => a !== `--${flag}` && all[i - 1] !== `--${flag}`), `--${flag}=${v}`],
            flag,
            refused,
          });
        }
        cases.push({ argv: [...argvBase, `--${flag}`], flag, refused: true });
      }
      for (const extra of [['--zzz'], ['--zzz=1'], ['-z'], ['--']])
        cases.push({ argv: [...argvBase, ...extra], refused: extra[0] !== '--' });
      // Without its baseline (serve would listen for real: its baseline is what keeps it off the network).
      if (command !== 'serve') cases.push({ argv: [command, '--prefix', c.prefix], refused: false });
      for (const { argv, flag, refused } of cases) {
        cliTotals.set(command, (cliTotals.get(command) ?? 0) + 1);
        const what = `mitra ${argv.join(' ').slice(0, 160)}`;
        try {
          const r = await mitra(argv);
          expectClean(r.err + r.out, what);
          if (/unexpected error/.test(r.err)) throw new Error(`${what}: unexpected error: ${r.err}`);
          if (refused) {
            if (r.code !== 2) throw new Error(`${what}: exit ${r.code}, not 2: ${r.err}`);
            const lines = r.err.trim().split('\n');
            if (lines.length !== 1) throw new Error(`${what}: ${lines.length} lines on stderr`);
            if (flag && !r.err.includes(`--${flag}`)) throw new Error(`${what}: does not name --${flag}: ${r.err}`);
          } else if (![0, 1, 2, 3].includes(r.code)) throw new Error(`${what}: exit ${r.code}`);
        } catch (e) {
          cliFailures.push((e as Error).message);
        }
      }
    }
    // Environment variables with a form.
    for (const [name, values] of Object.entries({
      MITRA_ES_TIMEOUT_MS: ['abc', '-1', '0', '1e23', 'NaN', '99999999999'],
      MITRA_ES_VERIFY_TLS: ['maybe', '2', 'null', 'é'],
    })) {
      for (const v of values) {
        const before = process.env[name];
        process.env[name] = v;
        cliTotals.set('env', (cliTotals.get('env') ?? 0) + 1);
        try {
          const r = await mitra(['hosts', '--stale', '2h', '--prefix', c.prefix]);
          if (r.code !== 2 || !r.err.includes(name)) cliFailures.push(`${name}=${v}: exit ${r.code}: ${r.err}`);
        } finally {
          if (before === undefined) delete process.env[name];
          else process.env[name] = before;
        }
      }
    }
    process.chdir(cwd);
    const cliTotal = [...cliTotals.values()].reduce((a, b) => a + b, 0);
    console.log(`CLI fuzz: ${cliTotal} invocations\n${[...cliTotals].map(([k, n]) => `  ${String(n).padStart(5)}  ${k}`).join('\n')}`);
    expect(cliFailures.slice(0, 20)).toEqual([]);
    expect(cliTotal).toBeGreaterThanOrEqual(1000);
  }, 900_000);

  it('the real launcher: the reported misuse cases exit 2 with one line', async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['hosts', '--file', '/etc/fstab', '--larger-than', '1e23'], {}, /--larger-than "1e23" is not a size/],
      [['history', 'web-01', '/etc/hosts', '--from', 'now', '--to', '-1d'], {}, /--from "now" .* is after the end time/],
      [['serve', '--ui', '/nonexistent'], {}, /--ui \/nonexistent is not a folder with an index.html/],
      [['hosts', '--stale', '2h'], { MITRA_ES_TIMEOUT_MS: 'abc' }, /MITRA_ES_TIMEOUT_MS "abc" is out of range/],
      [['hosts', '--stale', '2h'], { MITRA_ES_VERIFY_TLS: 'maybe' }, /MITRA_ES_VERIFY_TLS "maybe" is not known/],
    ];
    for (const [args, env, message] of cases) {
      const r = await runMitra([...args, '--prefix', c.prefix], env);
      expect({ args, code: r.code, stderr: r.stderr.trim().split('\n').length }).toEqual({ args, code: 2, stderr: 1 });
      expect(r.stderr).toMatch(message);
    }
  }, 120_000);

  it('a server that is not Elasticsearch: CLI exit 3 and API 503, one line each', async () => {
    const answers: Record<string, (res: import('node:http').ServerResponse) => void> = {
      html: (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to nginx</body></html>'),
      json: (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'),
      missing: (res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found'),
    };
    for (const [kind, answer] of Object.entries(answers)) {
      const fake = createServer((_req, res) => answer(res));
      await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
      try {
        const cli = await mitra(['hosts', '--stale', '2h', '--es', url]);
        expect({ kind, code: cli.code, err: cli.err.trim() }).toEqual({
          kind,
          code: 3,
          err: expect.stringMatching(
            new RegExp(`^mitra: ${url} does not look like Elasticsearch or OpenSearch: [^\\n]+$`),
          ) as unknown as string,
        });
        // The API over a client that points at it (as if the cluster URL changed under a running mitra serve).
        const client = new Client(clientOptions(resolveConnection({ es: url }, {}, {}), 'compat'));
        const api = createApiServer({ ctx: { client, prefix: 'x-' } });
        await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
        try {
          const res = await fetch(`http://127.0.0.1:${(api.address() as AddressInfo).port}/api/mitra/search?query=x`);
          const body = (await res.json()) as { message: string };
          expect({ kind, status: res.status }).toEqual({ kind, status: 503 });
          expect(body.message).toMatch(/does not look like Elasticsearch or OpenSearch/);
          expect(body.message).not.toContain('\n');
        } finally {
          await new Promise<void>((resolve) => api.close(() => resolve()));
          await client.close();
        }
      } finally {
        await new Promise<void>((resolve) => fake.close(() => resolve()));
      }
    }
  }, 120_000);
});
