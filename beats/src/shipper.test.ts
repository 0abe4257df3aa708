import type { ConnectionConfig } from '@mitra/core';
import { assetVersions } from '@mitra/ingest-pipelines/dist/assets';
import { ConnectionError, ResponseError, TimeoutError, type BulkItem, type RequestOptions, type Transport } from './http';
import { Logger } from './log';
import { classify, classifyItem, Shipper } from './shipper';
import type { WireDoc } from '@mitra/core/dist/base';

const URL_ = 'http://127.0.0.1:1';
const connection: ConnectionConfig = { nodes: [URL_], verifyTls: true, requestTimeoutMs: 1000 };
const esError = (status: number, type: string, reason: string) =>
  new ResponseError({ statusCode: status, body: { error: { type, reason }, status } });

describe('classifyItem: one bulk item', () => {
  it.each<[string, BulkItem, string]>([
    ['accepted', { status: 201 }, 'shipped'],
    ['429 (queue full)', { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution' } }, 'retry'],
    ['503 (no primary)', { status: 503, error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } }, 'retry'],
    [
      '500 from a processor that failed for good',
      { status: 500, error: { type: 'fail_processor_exception', reason: 'no host.name' } },
      'rejected',
    ],
    [
      '400 mapping error',
      { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [file.size]' } },
      'rejected',
    ],
    [
      '404 missing pipeline',
      { status: 404, error: { type: 'illegal_argument_exception', reason: 'pipeline with id [m-snapshot] does not exist' } },
      'pipeline-missing',
    ],
    ['409 version conflict', { status: 409, error: { type: 'version_conflict_engine_exception', reason: 'conflict' } }, 'rejected'],
  ])('%s → %s', (_name, item, kind) => {
    expect(classifyItem(item).kind).toBe(kind);
  });

  it('a multi-line reason becomes one line', () => {
    expect(classifyItem({ status: 400, error: { type: 'x', reason: 'first\n  second' } })).toEqual({
      kind: 'rejected',
      status: 400,
      reason: 'first second',
    });
  });
});

describe('classify: the whole request failed', () => {
  it.each<[string, boolean, unknown, RegExp]>([
    ['429', true, esError(429, 'es_rejected_execution_exception', 'too many'), /answered 429/],
    ['503', true, esError(503, 'unavailable_shards_exception', 'not active'), /answered 503/],
    ['500', true, esError(500, 'illegal_state_exception', 'broke'), /answered 500/],
    ['401', false, esError(401, 'security_exception', 'unable to authenticate'), /authentication failed/],
    ['403', false, esError(403, 'security_exception', 'unauthorized'), /permission denied/],
    ['400', false, esError(400, 'parse_exception', 'bad body'), /answered 400: bad body \(bad body\)/],
    ['refused', true, new ConnectionError('ECONNREFUSED connect ECONNREFUSED 127.0.0.1:1'), /connection refused/],
    ['timeout', true, new TimeoutError('request timed out after 1000 ms'), /did not answer in time/],
    ['anything else', false, new Error('boom'), /request to .* failed: boom/],
  ])('%s → retryable %p', (_name, retryable, error, message) => {
    const unsent = classify(error, URL_);
    expect(unsent.retryable).toBe(retryable);
    expect(unsent.message).toMatch(message);
    expect(unsent.message).not.toMatch(/\n/);
  });

  it('never shows the URL password', () => {
    expect(classify(new ConnectionError('ECONNREFUSED'), 'http://agent:s3cret@127.0.0.1:1').message).not.toContain('s3cret');
  });
});

/** A cluster that answers as a test says: GET / and the asset checks pass; each bulk gets the next scripted answer. */
class ScriptedTransport implements Transport {
  readonly bulks: string[][] = [];
  closed = 0;
  constructor(private readonly answers: ((lines: string[]) => BulkItem[] | Error)[]) {}
  async request<T>(method: string, path: string, _body?: unknown, _o?: RequestOptions): Promise<T> {
    if (path === '/') return { version: { number: '7.10.2' } } as T;
    if (path.startsWith('/_index_template/')) {
      return {
        index_templates: assetVersions('m-')
          .filter((a) => a.kind === 'index_template')
          .map((a) => ({ name: a.id, index_template: { version: a.version } })),
      } as T;
    }
    if (path.startsWith('/_ingest/pipeline/')) {
      const versions = new Map(assetVersions('m-').map((a) => [a.id, a.version]));
      return Object.fromEntries(
        path
          .split('/')
          .pop()!
          .split(',')
          .map((id) => [decodeURIComponent(id), { version: versions.get(decodeURIComponent(id)) }]),
      ) as T;
    }
    if (method === 'GET') return { index: {} } as T;
    throw new Error(`unexpected ${method} ${path}`);
  }
  async bulk(_pipeline: string | undefined, lines: string[]): Promise<BulkItem[]> {
    this.bulks.push(lines);
    const answer = this.answers.shift()?.(lines) ?? lines.filter((_, i) => i % 2 === 0).map(() => ({ status: 201 }));
    if (answer instanceof Error) throw answer;
    return answer;
  }
  close(): void {
    this.closed++;
  }
}

function doc(path: string): WireDoc {
  return {
    '@timestamp': '2026-11-27T03:00:00.000Z',
    host: { name: 'web-01' },
    file: { path },
    mitra: { state: 'present', target: 'current', content: 'a = 1\n', agent: { version: '0.1.0' } },
  } as WireDoc;
}

function shipperWith(answers: ConstructorParameters<typeof ScriptedTransport>[0], batchDocs = 500) {
  const lines: string[] = [];
  const log = new Logger({ level: 'debug', maxBytes: 0, stderr: (l) => lines.push(l) });
  const transport = new ScriptedTransport(answers);
  const shipper = new Shipper(connection, 'm-', log, { batchDocs, batchBytes: 8 << 20, retries: 3, backoffMs: 1 }, () => transport);
  return { shipper, transport, lines };
}

const ok = (lines: string[]): BulkItem[] => lines.filter((_, i) => i % 2 === 0).map(() => ({ status: 201 }));

describe('Shipper with a scripted cluster', () => {
  const docs = ['/etc/a', '/etc/b', '/etc/c'].map(doc);

  it('per item: 429 comes back unsent (retryable), a pipeline rejection is final and logged, the rest is shipped', async () => {
    const { shipper, lines } = shipperWith([
      () => [
        { status: 201 },
        { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } },
        { status: 500, error: { type: 'fail_processor_exception', reason: 'no host.name' } },
      ],
    ]);
    const out = await shipper.ship(docs);
    expect(out).toMatchObject({ shipped: 1, rejected: 1, retryable: true });
    expect(out.unsent.map((d) => d.file.path)).toEqual(['/etc/b']);
    expect(out.rejectedDocs.map((d) => d.file.path)).toEqual(['/etc/c']);
    expect(out.error).toBe('1 document(s) refused for now (429/5xx): 429 queue full');
    expect(lines.filter((l) => / ERROR /.test(l))).toEqual([
      expect.stringContaining('ship: /etc/c (current) rejected by the cluster (500): no host.name'),
    ]);
    await shipper.close();
  });

  it('a missing pipeline (404 in the items) stops the request: everything unsent, not retryable, names mitra setup', async () => {
    const { shipper } = shipperWith([
      (l) =>
        l
          .filter((_, i) => i % 2 === 0)
          .map(() => ({
            status: 404,
            error: { type: 'illegal_argument_exception', reason: 'pipeline with id [m-snapshot] does not exist' },
          })),
    ]);
    const out = await shipper.ship(docs);
    expect(out).toMatchObject({ shipped: 0, rejected: 0, retryable: false });
    expect(out.unsent).toHaveLength(3);
    expect(out.error).toBe('pipeline m-snapshot is not installed on the cluster: run mitra setup --prefix m-');
    await shipper.close();
  });

  it('a whole-request 503 after the first batch: later batches are not tried, all of them come back unsent', async () => {
    const { shipper, transport } = shipperWith([ok, () => esError(503, 'unavailable_shards_exception', 'not active')], 1);
    const out = await shipper.ship(docs);
    expect(out.shipped).toBe(1);
    expect(out.unsent.map((d) => d.file.path)).toEqual(['/etc/b', '/etc/c']);
    expect(out.retryable).toBe(true);
    expect(transport.bulks).toHaveLength(2);
    // Disconnected after a failure: the next ship connects again.
    expect(transport.closed).toBe(1);
    await shipper.close();
  });

  it('a cluster gone during a cycle of 200,000 documents: every one comes back unsent (no call-stack overflow)', async () => {
    const many = Array.from({ length: 200_000 }, (_, i) => doc(`/srv/f${i}`));
    const { shipper } = shipperWith([() => new ConnectionError('ECONNREFUSED connect ECONNREFUSED 127.0.0.1:1')], 500);
    const out = await shipper.ship(many);
    expect(out).toMatchObject({ shipped: 0, retryable: true });
    expect(out.unsent).toHaveLength(200_000);
    expect(out.unsent[199_999].file.path).toBe('/srv/f199999');
    await shipper.close();
  });

  it('a whole-request 400 is not retryable and carries the reason', async () => {
    const { shipper } = shipperWith([() => esError(400, 'parse_exception', 'request body is required')]);
    const out = await shipper.ship(docs);
    expect(out).toMatchObject({ shipped: 0, retryable: false });
    expect(out.error).toMatch(/answered 400: request body is required/);
    await shipper.close();
  });

  it('sends each document with its id and the pipeline sets the rest', async () => {
    const { shipper, transport } = shipperWith([ok]);
    await shipper.ship([doc('/etc/a')]);
    const [action, json] = transport.bulks[0];
    expect(JSON.parse(action)).toEqual({ index: { _index: 'm-current', _id: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(JSON.parse(json).file.path).toBe('/etc/a');
    await shipper.close();
  });
});
