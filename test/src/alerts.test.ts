import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AlertEvaluator,
  alertHistory,
  type AlertNotification,
  createRule,
  createSaved,
  DEFAULT_WEBHOOK_POLICY,
  getRule,
  type IndexScope,
  ruleState,
  type Target,
  UsageError,
  WEBHOOK_NOT_DELIVERED,
} from '@mitra/core';
import { runMitra } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';

/** A real webhook receiver on 127.0.0.1: records bodies; answers 500 to the first `failFirst` requests of a path. */
async function webhookReceiver() {
  const received: { path: string; body: AlertNotification }[] = [];
  const attempts: Record<string, number> = {};
  const failFirst: Record<string, number> = { '/flaky': 2, '/down': Infinity };
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      attempts[path] = (attempts[path] ?? 0) + 1;
      if (attempts[path] <= (failFirst[path] ?? 0)) {
        res.writeHead(500).end();
        return;
      }
      received.push({ path, body: JSON.parse(data) as AlertNotification });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, attempts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const SSHD_BAD = 'Port 22\nPermitRootLogin yes\n';
const SSHD_OK = 'Port 22\nPermitRootLogin no\n';

describe('alert rules', () => {
  let c: TestCluster;
  let scope: IndexScope;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  const logs: string[] = [];
  // settleMs 0: the tests refresh after every write, so no change can be in flight.
  // The receiver is plain http on loopback: both refused by default, so this config allows exactly that (api-security.test.ts tests the refusals).
  const webhooks = { ...DEFAULT_WEBHOOK_POLICY, allowHttp: true, allowNetworks: ['127.0.0.1/32'] };
  const evaluator = () => new AlertEvaluator(scope, { backoffMs: 10, settleMs: 0, webhooks, log: (l) => logs.push(l) });

  async function send(host: string, path: string, content: string, target: Target = 'current') {
    const doc = { '@timestamp': new Date().toISOString(), host: { name: host }, file: { path }, mitra: { content, target } };
    // Bulk, as agents send: a single-document POST with no id is a create, which the pipeline's fixed _id would turn into a conflict.
    const res = await c.client.bulk({ pipeline: c.pipeline, operations: [{ index: { _index: 'x' } }, doc], refresh: true });
    if (res.errors) throw new Error(JSON.stringify(res.items[0]));
  }

  beforeAll(async () => {
    c = await testCluster('c2-alerts');
    await c.setup();
    scope = { client: c.client, prefix: c.prefix };
    hook = await webhookReceiver();
    await send('web-01', '/etc/ssh/sshd_config', SSHD_OK);
    await send('web-02', '/etc/ssh/sshd_config', SSHD_OK);
    await createSaved(scope, {
      name: 'root-login',
      kind: 'lucene',
      params: { query: 'filename:"/etc/ssh/sshd_config" AND content:"PermitRootLogin {{value}}"' },
    });
  });
  afterAll(async () => {
    await hook?.close();
    await c.cleanup();
  });

  it('fires once when matches > N becomes true, survives a restart without firing again, and records recovery', async () => {
    const rule = await createRule(scope, {
      name: 'root-login-allowed',
      search: 'root-login',
      vars: { value: 'yes' },
      condition: { type: 'matches_above', threshold: 0 },
      actions: [{ type: 'log' }, { type: 'webhook', url: `${hook.url}/hook` }],
    });
    const first = evaluator();
    expect((await first.evaluate(rule)).transition).toBeNull();

    await send('web-02', '/etc/ssh/sshd_config', SSHD_BAD);
    const fired = await first.evaluate(rule);
    expect(fired).toMatchObject({ transition: 'fired', status: 'firing', count: 1, hosts: ['web-02'] });
    expect(hook.received).toHaveLength(1);
    const body = hook.received[0].body;
    expect(body).toEqual({
      rule: 'root-login-allowed',
      state: 'firing',
      hosts: ['web-02'],
      count: 1,
      evaluated_at: fired.evaluated_at,
      query: {
        search: 'root-login',
        kind: 'lucene',
        params: { query: 'filename:"/etc/ssh/sshd_config" AND content:"PermitRootLogin yes"', size: 10000 },
      },
      condition: { type: 'matches_above', threshold: 0 },
    });
    expect(logs.some((l) => l.startsWith('alert root-login-allowed firing') && l.includes('web-02'))).toBe(true);

    expect((await first.evaluate(rule)).transition).toBeNull();
    // A restarted evaluator reads the state from Elasticsearch: still firing, nothing sent.
    const restarted = evaluator();
    const again = await restarted.evaluate(await getRule(scope, 'root-login-allowed'));
    expect(again).toMatchObject({ transition: null, status: 'firing' });
    expect(hook.received).toHaveLength(1);

    await send('web-02', '/etc/ssh/sshd_config', SSHD_OK);
    const recovered = await restarted.evaluate(rule);
    expect(recovered).toMatchObject({ transition: 'recovered', status: 'ok', count: 0, hosts: ['web-02'] });
    expect(hook.received.map((r) => r.body.state)).toEqual(['firing', 'recovered']);

    const history = await alertHistory(scope, { rule: 'root-login-allowed' });
    expect(history.events.map((e) => [e.state, e.hosts])).toEqual([
      ['recovered', ['web-02']],
      ['firing', ['web-02']],
    ]);
    expect(history.events[1].actions).toEqual([
      { type: 'log', ok: true, attempts: 1 },
      { type: 'webhook', ok: true, attempts: 1 },
    ]);
    expect((await ruleState(scope, 'root-login-allowed'))?.status).toBe('ok');
  });

  it('two evaluators racing on one rule fire it exactly once', async () => {
    const rule = await createRule(scope, {
      name: 'any-sshd',
      query: { kind: 'lucene', params: { query: 'filename:"/etc/ssh/sshd_config"' } },
      condition: { type: 'matches_above', threshold: 1 },
    });
    // Both read the rule's state before either writes it: the race, every run (left to timing, the
    // second evaluator often started after the first had finished, and saw nothing to skip).
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    const racing = (): AlertEvaluator => {
      const client = new Proxy(c.client, {
        get(target, key, receiver) {
          if (key !== 'get') return Reflect.get(target, key, receiver) as unknown;
          return async (...args: Parameters<typeof target.get>) => {
            const res = await target.get(...args);
            if (++arrived === 2) release();
            await bothRead;
            return res;
          };
        },
      });
      return new AlertEvaluator({ ...scope, client }, { backoffMs: 10, settleMs: 0, webhooks, log: (l) => logs.push(l) });
    };
    const results = await Promise.all([racing().evaluate(rule), racing().evaluate(rule)]);
    expect(results.filter((r) => r.transition === 'fired')).toHaveLength(1);
    expect(results.filter((r) => r.skipped)).toHaveLength(1);
    expect((await alertHistory(scope, { rule: 'any-sshd' })).total).toBe(1);
  });

  it('hosts changed: baseline first, then fires with the host that appeared, then recovers', async () => {
    const rule = await createRule(scope, {
      name: 'sshd-hosts',
      query: { kind: 'lucene', params: { query: 'filename:"/etc/ssh/sshd_config"' } },
      condition: { type: 'hosts_changed' },
    });
    const e = evaluator();
    expect((await e.evaluate(rule)).transition).toBeNull();
    await send('web-03', '/etc/ssh/sshd_config', SSHD_OK);
    expect(await e.evaluate(rule)).toMatchObject({ transition: 'fired', hosts: ['web-03'], count: 3 });
    expect(await e.evaluate(rule)).toMatchObject({ transition: 'recovered' });
  });

  it('file changed: fires for history newer than the last check, on the hosts in scope only', async () => {
    await send('web-01', '/etc/hosts', '127.0.0.1 localhost\n', 'history');
    const rule = await createRule(scope, {
      name: 'hosts-file',
      search: 'root-login',
      vars: { value: 'no' },
      condition: { type: 'file_changed', path: '/etc/hosts' },
    });
    const e = evaluator();
    // The change above predates the rule.
    expect((await e.evaluate(rule)).transition).toBeNull();
    await send('web-02', '/etc/hosts', '127.0.0.1 localhost\n10.0.0.1 a\n', 'history');
    await send('db-09', '/etc/hosts', 'out of scope: no sshd_config\n', 'history');
    expect(await e.evaluate(rule)).toMatchObject({ transition: 'fired', hosts: ['web-02'], count: 1 });
    expect(await e.evaluate(rule)).toMatchObject({ transition: 'recovered' });
  });

  it('retries a failing webhook with backoff, and records a webhook that never answers 2xx', async () => {
    const rule = await createRule(scope, {
      name: 'retry',
      query: { kind: 'lucene', params: { query: 'filename:"/etc/ssh/sshd_config"' } },
      condition: { type: 'matches_above', threshold: 0 },
      actions: [
        { type: 'webhook', url: `${hook.url}/flaky` },
        { type: 'webhook', url: `${hook.url}/down` },
      ],
    });
    const fired = await evaluator().evaluate(rule);
    expect(fired.actions).toEqual([
      { type: 'webhook', ok: true, attempts: 3 },
      { type: 'webhook', ok: false, attempts: 3, error: WEBHOOK_NOT_DELIVERED },
    ]);
    expect(hook.attempts['/flaky']).toBe(3);
    expect(hook.attempts['/down']).toBe(3);
    expect(hook.received.filter((r) => r.path === '/flaky')).toHaveLength(1);
    // The operator's log has the reason (the result, visible to whoever wrote the rule, does not); the path is not shown.
    expect(logs.some((l) => l.includes(`webhook ${hook.url} failed after 3 attempts: HTTP 500`))).toBe(true);
  });

  it('mitra alerts create/eval/history from the command line', async () => {
    const p = ['--prefix', c.prefix];
    const created = await runMitra([
      'alerts',
      'create',
      'cli-rule',
      '--search',
      'root-login',
      '--var',
      'value=no',
      '--when',
      'matches > 2',
      ...p,
    ]);
    expect(created).toMatchObject({ code: 0, stdout: 'created alert rule cli-rule: matches > 2\n' });
    // web-01, web-02, web-03 all say "PermitRootLogin no" by now: 3 > 2.
    const evaluated = await runMitra(['alerts', 'eval', 'cli-rule', ...p]);
    expect(evaluated.stdout).toBe('cli-rule: firing (fired), count 3, hosts web-01, web-02, web-03\n');
    expect(evaluated.stderr).toMatch(/^alert cli-rule firing at .*: count 3, 3 host\(s\): web-01, web-02, web-03$/m);
    expect((await runMitra(['alerts', 'eval', 'cli-rule', ...p])).stdout).toBe(
      'cli-rule: firing (unchanged), count 3, hosts web-01, web-02, web-03\n',
    );
    const history = await runMitra(['alerts', 'history', 'cli-rule', ...p]);
    expect(history.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^alert cli-rule firing at /), '1 event']);
    const bad = await runMitra(['alerts', 'create', 'x', '--kind', 'lucene', '--param', 'query=x', '--when', 'sometimes', ...p]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--when "sometimes" is not a condition/);
  });

  it('rejects rules it cannot evaluate, naming the problem', async () => {
    await expect(createRule(scope, { name: 'r', condition: { type: 'matches_above', threshold: 1 } })).rejects.toThrow(/needs a query/);
    await expect(
      createRule(scope, {
        name: 'r',
        query: { kind: 'lucene', params: { query: 'x' } },
        condition: { type: 'matches_above', threshold: -1 },
      }),
    ).rejects.toThrow(/threshold/);
    await expect(
      createRule(scope, { name: 'r', condition: { type: 'file_changed', path: '/etc/x' }, actions: [{ type: 'webhook', url: 'ftp://x' }] }),
    ).rejects.toThrow(UsageError);
    await expect(
      createRule(scope, { name: 'r', query: { kind: 'lucene', params: { query: 'content:(ext4' } }, condition: { type: 'hosts_changed' } }),
    ).rejects.toThrow(/^query "content:\(ext4" does not parse/);
    const orphan = await createRule(scope, { name: 'orphan', search: 'gone', condition: { type: 'hosts_changed' } });
    const res = await evaluator().evaluateSafely(orphan);
    expect(res.error).toMatch(/no saved search named "gone"/);
  });

  it('pages the history by cursor: events at the same instant are neither skipped nor repeated, whatever the page size', async () => {
    // Five rules fire in one evaluation round at one instant: their events tie on @timestamp.
    const at = new Date('2026-11-27T05:00:00.000Z');
    const tied = new AlertEvaluator(scope, { settleMs: 0, webhooks, now: () => at, log: () => {} });
    for (let i = 0; i < 5; i++) {
      const rule = await createRule(scope, {
        name: `tie-${i}`,
        query: { kind: 'lucene', params: { query: 'filename:"/etc/ssh/sshd_config"' } },
        condition: { type: 'matches_above', threshold: 0 },
      });
      expect((await tied.evaluate(rule)).transition).toBe('fired');
    }
    const all = await alertHistory(scope, { size: 10_000 });
    expect(all.next).toBeUndefined();
    expect(all.events.filter((e) => e['@timestamp'] === at.toISOString()).map((e) => e.rule)).toEqual([
      'tie-0',
      'tie-1',
      'tie-2',
      'tie-3',
      'tie-4',
    ]);
    const key = (e: { rule: string; state: string; evaluated_at: string }) => `${e.rule} ${e.state} ${e.evaluated_at}`;
    for (const size of [1, 2, 3]) {
      const walked: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await alertHistory(scope, { size, cursor });
        expect(page.total).toBe(all.total);
        expect(page.events.length).toBeLessThanOrEqual(size);
        walked.push(...page.events.map(key));
        cursor = page.next;
      } while (cursor !== undefined);
      expect({ size, walked }).toEqual({ size, walked: all.events.map(key) });
    }
    await expect(alertHistory(scope, { cursor: 'not-ours' })).rejects.toThrow(
      /^cursor "not-ours" is not a cursor of the alert history: pass the next of the previous answer/,
    );

    const p = ['--prefix', c.prefix];
    const first = await runMitra(['alerts', 'history', '--size', '2', ...p]);
    expect(first.code).toBe(0);
    const next = /^more: --cursor (\S+)$/m.exec(first.stdout)?.[1];
    expect(next).toBeDefined();
    expect(first.stdout).toMatch(new RegExp(`^${all.total} events$`, 'm'));
    const second = await runMitra(['alerts', 'history', '--size', '2', '--cursor', next!, ...p]);
    expect(second.stdout.split('\n').slice(0, 2)).toEqual(
      all.events.slice(2, 4).map((e) => expect.stringContaining(`alert ${e.rule} ${e.state}`)),
    );
    const bad = await runMitra(['alerts', 'history', '--cursor', 'nope', ...p]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^[^\n]*cursor "nope" is not a cursor of the alert history[^\n]*$/);
    const badSize = await runMitra(['alerts', 'list', '--size', '0', ...p]);
    expect(badSize.code).toBe(2);
    expect(badSize.stderr).toMatch(/--size "0" is out of range: use a whole number from 1 to 10000/);
  });
});
