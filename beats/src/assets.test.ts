import { assetVersions } from '@mitra/ingest-pipelines/dist/assets';
import { assetsInPlace } from './assets';
import type { Transport } from './http';

/** A cluster holding the given assets (id → version) and, or not, the current-state index; it records the requests. */
function cluster(installed: Map<string, number>, currentIndex = true) {
  const requests: string[] = [];
  const transport: Transport = {
    async request<T>(method: string, path: string): Promise<T> {
      requests.push(`${method} ${path}`);
      if (path.startsWith('/_index_template/')) {
        const prefix = decodeURIComponent(path.slice('/_index_template/'.length, -1));
        const names = [...installed.keys()].filter((id) => id.startsWith(prefix) && !id.includes('@pipeline'));
        return { index_templates: names.map((name) => ({ name, index_template: { version: installed.get(name) } })) } as T;
      }
      if (path.startsWith('/_ingest/pipeline/')) {
        const ids = path.slice('/_ingest/pipeline/'.length).split(',').map(decodeURIComponent);
        const found = ids.filter((id) => installed.has(`${id}@pipeline`));
        return (found.length ? Object.fromEntries(found.map((id) => [id, { version: installed.get(`${id}@pipeline`) }])) : undefined) as T;
      }
      return (currentIndex ? { 'm-current': {} } : undefined) as T;
    },
    bulk: async () => [],
    close: () => {},
  };
  return { transport, requests };
}

const all = () => new Map(assetVersions('m-').map((a) => [a.kind === 'pipeline' ? `${a.id}@pipeline` : a.id, a.version]));

describe('assetsInPlace', () => {
  it('everything at this version: true, in three requests whatever the number of assets', async () => {
    const { transport, requests } = cluster(all());
    await expect(assetsInPlace(transport, 'm-')).resolves.toBe(true);
    expect(requests).toHaveLength(3);
  });

  it.each([
    [
      'a different template (another release set the cluster up)',
      (m: Map<string, number>) => m.set('m-current', (m.get('m-current') ?? 0) + 1),
    ],
    ['a template missing', (m: Map<string, number>) => m.delete('m-current')],
    ['the snapshot pipeline of another version', (m: Map<string, number>) => m.set('m-snapshot@pipeline', 1)],
    [
      'every pipeline missing',
      (m: Map<string, number>) => [...m.keys()].filter((k) => k.endsWith('@pipeline')).forEach((k) => m.delete(k)),
    ],
  ])('%s: false (the full installer runs)', async (_name, change) => {
    const m = all();
    change(m);
    await expect(assetsInPlace(cluster(m).transport, 'm-')).resolves.toBe(false);
  });

  it('no current-state index: false', async () => {
    await expect(assetsInPlace(cluster(all(), false).transport, 'm-')).resolves.toBe(false);
  });
});
