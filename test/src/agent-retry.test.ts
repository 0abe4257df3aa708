import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_DOC_PATH } from '@mitra/core';
import { loadAssets } from '@mitra/ingest-pipelines';
import { currentDoc, historyDocs, memoryLogger, removeTempDirs, runMitra, tempDir, testAgent } from './agent-helpers';
import { esError, startProxy, type Answer, type BulkResponse, type Proxy } from './agent-proxy';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * What a loaded or failing cluster answers — 429, 503, 500, a 429 for one item
 * inside a 200 bulk — is retried with backoff until the snapshot lands, and it
 * lands once; a pipeline's rejection is final. Answers come from a loopback
 * proxy in front of the real engine, which indexes everything that gets through.
 */
let cluster: TestCluster;
let proxy: Proxy;
beforeAll(async () => {
  cluster = await testCluster('agent-retry');
  await cluster.setup();
  proxy = await startProxy(cluster.url);
});
afterEach(() => {
  proxy.intercept = undefined;
  proxy.rewriteBulk = undefined;
  proxy.seen.length = 0;
});
afterAll(async () => {
  removeTempDirs();
  await proxy.stop();
  await cluster.cleanup();
});

const bulks = () => proxy.seen.filter((r) => r.endsWith('/_bulk'));

/** An agent behind the proxy whose backoff waits are recorded instead of slept. */
function agentBehindProxy(name: string, content: string) {
  const dir = tempDir(name);
  const file = join(dir, `${name}.conf`);
  writeFileSync(file, content);
  const waits: number[] = [];
  const { log, lines } = memoryLogger();
  const agent = testAgent(cluster, { files: [file], host_name: `${name}-host`, elasticsearch: { url: proxy.url } }, join(dir, 'state'), {
    log,
    ship: { retries: 4, backoffMs: 100 },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { agent, file, host: `${name}-host`, waits, lines };
}

/** Answers the first `n` bulk requests with `answer`, forwards everything else. */
function failFirstBulks(n: number, answer: Answer): void {
  let left = n;
  proxy.intercept = (req) => (req.path.includes('_bulk') && left-- > 0 ? answer : undefined);
}

describe('retries of 429 and 5xx', () => {
  it.each([
    ['429', esError(429, 'es_rejected_execution_exception', 'rejected execution of coordinating operation')],
    ['503', esError(503, 'unavailable_shards_exception', 'primary shard is not active')],
    ['500', esError(500, 'illegal_state_exception', 'something broke')],
  ])('a %s for the first bulk requests is retried with backoff; the snapshot lands exactly once', async (code, answer) => {
    const { agent, file, host, waits } = agentBehindProxy(`whole-${code}`, `answer = ${code}\n`);
    // The client itself retries 502/503/504 twice at once; the agent's backoff is on top of that.
    failFirstBulks(code === '503' ? 5 : 2, answer);
    const summary = await agent.runOnce();
    expect(summary.error).toBeUndefined();
    expect(summary.rejected).toBe(0);
    // The file and the host document, current and history each.
    expect(summary.spooled).toBe(4);
    expect(summary.resent).toBe(4);
    expect(agent.spool.files()).toHaveLength(0);
    // Exponential backoff from ship.backoffMs.
    expect(waits).toEqual([100, 200].slice(0, waits.length));
    expect(waits.length).toBeGreaterThanOrEqual(code === '503' ? 1 : 2);
    await cluster.refresh();
    expect((await historyDocs(cluster, host, file)).map((d) => d.mitra.content)).toEqual([`answer = ${code}\n`]);
    expect((await currentDoc(cluster, host, file))?.mitra.content).toBe(`answer = ${code}\n`);
  });

  it('a 429 for one item inside a 200 bulk resends only that item, and it lands once', async () => {
    const { agent, file, host, waits } = agentBehindProxy('item-429', 'item = 1\n');
    let done = false;
    // Only this agent's first bulk (a request from anything else through the proxy is left alone).
    proxy.rewriteBulk = (body) => {
      if (done || !body.includes(host)) return undefined;
      done = true;
      // Take the first document out of what the engine sees, and answer 429 for it in its place.
      const lines = body.split('\n').filter(Boolean);
      const action = JSON.parse(lines[0]) as { index: { _index: string; _id: string } };
      return {
        body: `${lines.slice(2).join('\n')}\n`,
        response: (json: BulkResponse) => ({
          ...json,
          errors: true,
          items: [
            {
              index: {
                _index: action.index._index,
                _id: action.index._id,
                status: 429,
                error: { type: 'es_rejected_execution_exception', reason: 'rejected execution of processing of [1][index]' },
              },
            },
            ...json.items,
          ],
        }),
      };
    };
    const bodies: string[] = [];
    proxy.intercept = (req) => {
      if (req.path.includes('_bulk') && req.body.includes(host)) bodies.push(req.body);
      return undefined;
    };
    const summary = await agent.runOnce();
    // The refused item is resent; the other three (the file's history, the host document's two) land at once.
    expect(summary).toMatchObject({ shipped: 3, spooled: 1, resent: 1, rejected: 0 });
    expect(summary.error).toBeUndefined();
    expect(waits).toEqual([100]);
    // The resend carries the refused item only.
    expect(bodies).toHaveLength(2);
    expect(bodies[1].split('\n').filter(Boolean)).toHaveLength(2);
    await cluster.refresh();
    expect((await historyDocs(cluster, host, file)).map((d) => d.mitra.content)).toEqual(['item = 1\n']);
    expect((await currentDoc(cluster, host, file))?.mitra.content).toBe('item = 1\n');
  });

  it('a pipeline rejection of one item is final: logged, not retried, not spooled', async () => {
    const { agent, file, waits, lines } = agentBehindProxy('reject-400', 'reject = 1\n');
    // A target the pipeline refuses, put on the file's history document (the first) on its way through.
    proxy.rewriteBulk = (body) => ({
      body: body.replace('"target":"history"', '"target":"bogus"'),
      response: (json) => json,
    });
    const summary = await agent.runOnce();
    expect(summary).toMatchObject({ shipped: 3, rejected: 1, spooled: 0, resent: 0 });
    expect(waits).toEqual([]);
    expect(bulks()).toHaveLength(1);
    expect(agent.spool.files()).toHaveLength(0);
    expect(lines.filter((l) => l.includes(`ship: ${file} (history) rejected by the cluster (`))).toHaveLength(1);
  });
});

describe('the host document after a refusal', () => {
  it("is shipped again without the refused file's path, so host questions never count on a document the cluster does not hold", async () => {
    const { agent, file, host, lines } = agentBehindProxy('reject-current', 'reject = 1\n');
    let first = true;
    // The pipeline refuses the file's current document in the first bulk only (a target it does not know).
    proxy.rewriteBulk = (body) => {
      if (!first) return undefined;
      first = false;
      return { body: body.replace('"target":"current"', '"target":"bogus"'), response: (json) => json };
    };
    const summary = await agent.runOnce();
    expect(summary.rejected).toBe(1);
    expect(bulks()).toHaveLength(2);
    expect(lines.some((l) => l.includes('host document: shipped again without the path(s) the cluster refused'))).toBe(true);
    await cluster.refresh();
    expect(await currentDoc(cluster, host, file)).toBeUndefined();
    const reports = async () =>
      ((await currentDoc(cluster, host, HOST_DOC_PATH)) as { mitra: { reports?: string[] } } | undefined)?.mitra.reports;
    expect(await reports()).toEqual([]);
    // Accepted on the next cycle: listed again.
    await agent.runOnce();
    await cluster.refresh();
    expect(await reports()).toEqual([file]);
  });
});

describe('assets', () => {
  it('installs its missing templates and pipelines itself when its credentials allow (original runner.yaml)', async () => {
    const fresh = await testCluster('agent-retry-fresh');
    try {
      const dir = tempDir('fresh');
      const config = join(dir, 'runner.yaml');
      writeFileSync(join(dir, 'a.conf'), 'a = 1\n');
      writeFileSync(
        config,
        `log: {file: ${dir}/runner.log, maxsize: 10, level: info}
indexer: {prefix: ${fresh.prefix}, es_host: 127.0.0.1, es_port: ${new URL(fresh.url).port}, maxsize: 10}
files: [${dir}/a.conf]
frequency: 300
`,
      );
      const run = await runMitra(['agent', '--once', '-c', config, '--state-dir', join(dir, 'state')]);
      expect(run.stderr).toMatch(/setup: \d+ template\(s\)\/pipeline\(s\) installed or upgraded/);
      expect(run.code).toBe(0);
      const pipeline = await fresh.client.ingest.getPipeline({ id: fresh.pipeline });
      expect(Object.keys(pipeline)).toEqual([fresh.pipeline]);
      // A second run finds them in place and installs nothing.
      const second = await runMitra(['agent', '--once', '-c', config, '--state-dir', join(dir, 'state')]);
      expect(second.code).toBe(0);
      expect(second.stderr).not.toMatch(/setup:/);
      // An installed parser of other content (its version a larger number than ours: "newer wins" would keep it) is replaced.
      const id = `${fresh.prefix}parse-loadavg`;
      const installed = (await fresh.client.ingest.getPipeline({ id }))[id];
      await fresh.client.ingest.putPipeline({ id, ...installed, description: 'another release', version: 2 ** 30 } as never);
      const third = await runMitra(['agent', '--once', '-c', config, '--state-dir', join(dir, 'state')]);
      expect(third.code).toBe(0);
      expect(third.stderr).toMatch(
        new RegExp(`setup: 1 template\\(s\\)/pipeline\\(s\\) installed or upgraded for prefix ${fresh.prefix}: ${id}$`, 'm'),
      );
      const ours = loadAssets(fresh.prefix).find((a) => a.id === id)!;
      expect((await fresh.client.ingest.getPipeline({ id }))[id]).toMatchObject({
        version: ours.version,
        description: ours.body.description,
      });
    } finally {
      await fresh.cleanup();
    }
  });

  it('without the rights to install them: one line on stderr naming the command, exit 3', async () => {
    const fresh = await testCluster('agent-retry-denied');
    const denied = await startProxy(fresh.url);
    try {
      denied.intercept = (req) =>
        req.method === 'PUT' && /_index_template|_ingest\/pipeline/.test(req.path)
          ? esError(403, 'security_exception', 'action [indices:admin/index_template/put] is unauthorized for user [agent]')
          : undefined;
      const dir = tempDir('denied');
      const config = join(dir, 'runner.yaml');
      writeFileSync(join(dir, 'a.conf'), 'a = 1\n');
      writeFileSync(
        config,
        `log: {file: ${dir}/runner.log, maxsize: 10, level: info}
indexer: {prefix: mitra_, maxsize: 10}
elasticsearch: {url: '${denied.url}'}
files: [${dir}/a.conf]
frequency: 300
`,
      );
      // --prefix: the test's own prefix, as an operator's flag would set it.
      const run = await runMitra(['agent', '--once', '-c', config, '--prefix', fresh.prefix, '--state-dir', join(dir, 'state')]);
      expect(run.code).toBe(3);
      const naming = run.stderr.split('\n').filter((l) => l.includes('mitra setup'));
      expect(naming).toHaveLength(1);
      expect(naming[0]).toContain(`run mitra setup --prefix ${fresh.prefix}`);
      // Not retried in a loop: waiting does not install a pipeline.
      expect(denied.seen.filter((r) => r.endsWith('/_bulk'))).toHaveLength(1);
    } finally {
      await denied.stop();
      await fresh.cleanup();
    }
  });
});
