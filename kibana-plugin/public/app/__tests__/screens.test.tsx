import { EuiProvider } from '@elastic/eui';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describeCatalog, QUESTIONS, type Catalog } from '@mitra/core';
import { CATALOG_WITH_THROWAWAY } from '../../../../core/src/questions/throwaway.fixture';
import { ApiError, type MitraApi } from '../../api';
import { App } from '../app';
import { hashHistory } from '../history';
import { ApiContext, HistoryContext } from '../hooks';

/**
 * The screens in a DOM (jsdom). The API is a recording stand-in here: these
 * tests are about what the screens ask and show; the real routes on the real
 * engine are exercised by test/src/e2e in Chromium.
 */

const T = '2026-11-27T03:00:00.000Z';
type Get = (path: string, query?: Record<string, unknown>) => Promise<unknown>;

/** The fleet overview the Fleet screen always asks for; tests of questions leave it out of `calls`. */
const OVERVIEW = {
  hosts: 12,
  kernels: [
    { value: '4.4', hosts: 7 },
    { value: '5.15', hosts: 5 },
  ],
  os: [{ value: 'Ubuntu 16.04.7 LTS', hosts: 12 }],
  asOf: T,
  total: 12,
};

function stubApi(
  get: Get,
  catalog: Catalog = QUESTIONS,
  overview: object = OVERVIEW,
): MitraApi & { calls: [string, Record<string, unknown> | undefined][] } {
  const calls: [string, Record<string, unknown> | undefined][] = [];
  return {
    calls,
    get: async <T,>(path: string, query?: Record<string, unknown>) => {
      if (path === '/overview') return overview as T;
      // The question catalog, as GET /api/mitra/questions answers it.
      if (path === '/questions') return JSON.parse(JSON.stringify(describeCatalog(catalog))) as T;
      calls.push([path, query]);
      return (await get(path, query)) as T;
    },
    post: async () => {
      throw new Error('not used');
    },
    put: async () => {
      throw new Error('not used');
    },
    delete: async () => {
      throw new Error('not used');
    },
  };
}

function renderAt(hash: string, api: MitraApi) {
  window.location.hash = hash;
  return render(
    <EuiProvider colorMode="light">
      <ApiContext.Provider value={api}>
        <HistoryContext.Provider value={hashHistory(window)}>
          <App />
        </HistoryContext.Provider>
      </ApiContext.Provider>
    </EuiProvider>,
  );
}

const hostName = (n: number) => `host-${String(n).padStart(3, '0')}`;

/** A hosts answer by cursor (the last host of the previous page), as findHosts pages. */
const hostsAnswer = (total: number, cursor: unknown, size: number) => {
  const from = typeof cursor === 'string' ? Number(cursor.slice(5)) + 1 : 0;
  const hosts = Array.from({ length: Math.max(0, Math.min(size, total - from)) }, (_, i) => {
    const n = from + i;
    return { host: hostName(n), lastSeen: T, kernel: `4.4.0-${n}-generic` };
  });
  return { asOf: T, total, conditions: ['kernel 4.4'], hosts, ...(from + size < total ? { next: hostName(from + size - 1) } : {}) };
};

let consoleError: jest.SpyInstance;
beforeEach(() => {
  // jsdom has no ResizeObserver, so charts fail to draw here (by design: see the chart test); keep the output readable.
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  consoleError.mockRestore();
  window.location.hash = '';
});

describe('Fleet screen', () => {
  it('shows the whole fleet at a glance before any question: host count, kernels and OS', async () => {
    const api = stubApi(async () => {
      throw new Error('no question was asked');
    });
    const { container } = renderAt('#/fleet', api);
    const subj = (id: string) => container.querySelector(`[data-test-subj="${id}"]`)?.textContent;
    await waitFor(() => expect(subj('overview-summary')).toBe('Fleet: 12 hosts, as of 2026-11-27 03:00 UTC'));
    expect(subj('overview-kernel')).toBe('4.4: 75.15: 5');
    expect(subj('overview-os')).toBe('Ubuntu 16.04.7 LTS: 12');
    expect(api.calls).toEqual([]);
  });

  it('says "about" when the host count is an estimate (a cardinality past 40,000 hosts)', async () => {
    const noQuestion = async () => {
      throw new Error('no question was asked');
    };
    const { container } = renderAt('#/fleet', stubApi(noQuestion, QUESTIONS, { ...OVERVIEW, hosts: 100085, approximate: true }));
    const subj = (id: string) => container.querySelector(`[data-test-subj="${id}"]`)?.textContent;
    await waitFor(() => expect(subj('overview-summary')).toBe('Fleet: about 100085 hosts, as of 2026-11-27 03:00 UTC'));
  });

  it('asks the hosts route for a kernel question from the URL and shows "N hosts, as of T"', async () => {
    const api = stubApi(async (_p, q) => hostsAnswer(2, q!.cursor, Number(q!.size)));
    renderAt('#/fleet?type=kernel&value=4.4', api);
    expect(await screen.findByText('2 hosts, as of 2026-11-27 03:00 UTC')).toBeTruthy();
    expect(api.calls).toEqual([['/hosts', { kernel: '4.4', size: 50 }]]);
    const table = screen.getByRole('table');
    expect(within(table).getByText('host-000')).toBeTruthy();
    expect(within(table).getByText('4.4.0-1-generic')).toBeTruthy();
    expect((within(table).getByText('host-001') as HTMLAnchorElement).getAttribute('href')).toBe('#/host/host-001');
  });

  it("pages on the server by cursor: the next page is a URL change and a request from the last page's next", async () => {
    const api = stubApi(async (_p, q) => hostsAnswer(120, q!.cursor, Number(q!.size)));
    renderAt('#/fleet?type=kernel&value=4.4', api);
    await screen.findByText('120 hosts, as of 2026-11-27 03:00 UTC');
    fireEvent.click(screen.getByLabelText('Next page'));
    await waitFor(() => expect(window.location.hash).toBe('#/fleet?type=kernel&value=4.4&page=2'));
    await act(async () => window.dispatchEvent(new HashChangeEvent('hashchange')));
    expect(await screen.findByText('host-050')).toBeTruthy();
    expect(api.calls.at(-1)).toEqual(['/hosts', { kernel: '4.4', size: 50, cursor: 'host-049' }]);
  });

  it('a page opened from a URL walks the cursors to it', async () => {
    const api = stubApi(async (_p, q) => hostsAnswer(120, q!.cursor, Number(q!.size)));
    renderAt('#/fleet?type=kernel&value=4.4&page=3', api);
    expect(await screen.findByText('host-100')).toBeTruthy();
    expect(api.calls).toEqual([
      ['/hosts', { kernel: '4.4', size: 50 }],
      ['/hosts', { kernel: '4.4', size: 50, cursor: 'host-049' }],
      ['/hosts', { kernel: '4.4', size: 50, cursor: 'host-099' }],
    ]);
  });

  it('does not pass one page of hosts off as the whole answer in its kernel facet', async () => {
    const api = stubApi(async (_p, q) => hostsAnswer(120, q!.cursor, Number(q!.size)));
    const { container } = renderAt('#/fleet?type=kernel&value=4.4', api);
    expect(await screen.findByText('120 hosts, as of 2026-11-27 03:00 UTC')).toBeTruthy();
    // 120 hosts run 4.4; the facet counts the 50 on this page, and must say it is this page's.
    const facet = container.querySelector('[data-test-subj="facet-kernel"]')!;
    expect(facet.textContent).toBe('4.4: 50');
    expect(facet.getAttribute('aria-label')).toBe('This page (50 of 120 hosts): Hosts per kernel');
  });

  it('checks the form before asking: an incomplete question shows why and sends nothing', async () => {
    const api = stubApi(async () => hostsAnswer(0, undefined, 50));
    renderAt('#/fleet', api);
    fireEvent.change(await screen.findByLabelText('Question'), { target: { value: 'file_size' } });
    fireEvent.change(screen.getByLabelText('File'), { target: { value: '  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('enter a value for "File", e.g. /etc/hosts')).toBeTruthy();
    expect(api.calls).toEqual([]);
    expect(window.location.hash).toBe('#/fleet');
  });

  it("shows the server's one-line message in an error callout", async () => {
    const api = stubApi(async () => {
      throw new ApiError(400, 'query "filename:(" does not parse: check the Lucene syntax');
    });
    renderAt('#/fleet?type=lucene&value=filename%3A(', api);
    // The overview's charts cannot draw in jsdom (their callouts are alerts too): pick the request's.
    await waitFor(() => expect(screen.getAllByRole('alert').some((a) => a.textContent?.includes('Request failed'))).toBe(true));
    const alert = screen.getAllByRole('alert').find((a) => a.textContent?.includes('Request failed'))!;
    expect(alert.textContent).toContain('Request failed');
    expect(alert.textContent).toContain('query "filename:(" does not parse: check the Lucene syntax');
  });

  it('keeps the answer usable when a chart cannot be drawn (no ResizeObserver in jsdom)', async () => {
    renderAt(
      '#/fleet?type=kernel&value=4.4',
      stubApi(async (_p, q) => hostsAnswer(3, q!.cursor, Number(q!.size))),
    );
    expect((await screen.findAllByText('The chart could not be drawn')).length).toBeGreaterThan(0);
    expect(screen.getByText('3 hosts, as of 2026-11-27 03:00 UTC')).toBeTruthy();
    expect(within(screen.getByRole('table')).getByText('host-002')).toBeTruthy();
    // The facet's numbers stay readable without the chart.
    expect(screen.getByLabelText('Hosts per kernel').textContent).toBe('4.4: 3');
  });

  it('a throwaway catalog entry is in the picker, with a form from its parameters, and asks its own route', async () => {
    const api = stubApi(
      async () => ({ total: 1, asOf: T, hosts: [{ host: 'web-01', path: '/etc/resolv.conf', value: '10.0.0.2' }] }),
      CATALOG_WITH_THROWAWAY,
    );
    renderAt('#/fleet', api);
    const picker = (await screen.findByLabelText('Question')) as HTMLSelectElement;
    expect([...picker.options].map((o) => o.textContent)).toContain('hosts whose /etc/resolv.conf names a nameserver');
    fireEvent.change(picker, { target: { value: 'resolv' } });
    fireEvent.change(screen.getByLabelText('Nameserver'), { target: { value: '10.0.0.2' } });
    fireEvent.change(screen.getByLabelText('Search domain'), { target: { value: 'example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await act(async () => window.dispatchEvent(new HashChangeEvent('hashchange')));
    expect(await screen.findByText('1 host, as of 2026-11-27 03:00 UTC')).toBeTruthy();
    expect(api.calls).toEqual([['/resolv', { nameserver: '10.0.0.2', search_domain: 'example.com' }]]);
    expect(within(screen.getByRole('table')).getByText('web-01')).toBeTruthy();
  });

  it('says so when nothing matches', async () => {
    renderAt(
      '#/fleet?type=missing_package&value=zsh',
      stubApi(async () => ({ ...hostsAnswer(0, undefined, 50), unknown: [] })),
    );
    expect(await screen.findByText('No host matches')).toBeTruthy();
  });
});

describe('Host screen', () => {
  it("lists the host's files with their state, from a Lucene query on host.name", async () => {
    const api = stubApi(async () => ({
      query: '',
      asOf: T,
      total: 2,
      page: 0,
      size: 1000,
      hits: [
        { id: '1', index: 'i', host: 'web "1"', path: '/etc/shadow', state: 'refused', timestamp: T },
        { id: '2', index: 'i', host: 'web "1"', path: '/etc/hosts', state: 'present', size: 12, timestamp: T },
      ],
    }));
    renderAt(`#/host/${encodeURIComponent('web "1"')}`, api);
    expect(await screen.findByText('refused')).toBeTruthy();
    expect(api.calls[0]).toEqual(['/search', { query: 'host.name:"web \\"1\\""', size: 1000 }]);
    const links = screen.getAllByRole('link').filter((a) => a.getAttribute('href')?.startsWith('#/host/'));
    expect(links.map((a) => a.textContent)).toEqual(expect.arrayContaining(['/etc/hosts', '/etc/shadow']));
  });

  it('says so when the host reports more files than the list holds (1000)', async () => {
    const hits = Array.from({ length: 1000 }, (_, i) => ({
      id: String(i),
      index: 'i',
      host: 'big',
      path: `/etc/many/f${String(i).padStart(4, '0')}`,
      state: 'present',
      size: 3,
      timestamp: T,
    }));
    const api = stubApi(async () => ({ query: '', asOf: T, total: 1108, page: 0, size: 1000, hits }));
    const { container } = renderAt('#/host/big', api);
    expect(await screen.findByText('/etc/many/f0000')).toBeTruthy();
    expect(container.querySelector('[data-test-subj="host-files-partial"]')?.textContent).toBe('Showing 1000 of 1108 files');
  });
});

/**
 * A sorted list as the API pages it (saved searches, rules, alert history): `size` items from `cursor`,
 * with the total and the next page's cursor. The cursor is opaque to the app; here it is `c-<offset>`.
 */
function listAnswer(key: string, total: number, q: Record<string, unknown> | undefined, item: (n: number) => object) {
  const from = typeof q?.cursor === 'string' ? Number(q.cursor.slice(2)) : 0;
  const size = Number(q?.size);
  const items = Array.from({ length: Math.max(0, Math.min(size, total - from)) }, (_, i) => item(from + i));
  return { total, size, [key]: items, ...(from + size < total ? { next: `c-${from + size}` } : {}) };
}

const savedSearch = (n: number) => ({
  name: `search-${String(n).padStart(2, '0')}`,
  description: '',
  kind: 'hosts',
  params: { kernel: '4.4' },
  created: T,
  updated: T,
});
const alertEvent = (n: number) => ({
  '@timestamp': T,
  rule: `rule-${String(n).padStart(2, '0')}`,
  state: 'firing',
  count: 1,
  hosts: [`web-${n}`],
  evaluated_at: T,
  actions: [],
});

describe('Saved screen pages by cursor, as the question results do', () => {
  it("saved searches: the next page asks from the last page's next, the previous one from the cursor it remembered", async () => {
    const api = stubApi(async (_p, q) => listAnswer('searches', 45, q, savedSearch));
    renderAt('#/saved', api);
    expect(await screen.findByText('search-00')).toBeTruthy();
    expect(api.calls).toEqual([['/saved', { size: 20 }]]);
    fireEvent.click(screen.getByLabelText('Next page'));
    expect(await screen.findByText('search-20')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Next page'));
    expect(await screen.findByText('search-40')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Previous page'));
    expect(await screen.findByText('search-20')).toBeTruthy();
    expect(api.calls).toEqual([
      ['/saved', { size: 20 }],
      ['/saved', { size: 20, cursor: 'c-20' }],
      ['/saved', { size: 20, cursor: 'c-40' }],
      ['/saved', { size: 20, cursor: 'c-20' }],
    ]);
    // The page numbers come from the total, as before.
    expect(screen.getByLabelText('Page 3 of 3')).toBeTruthy();
  });

  it('alert history: newest first, a page at a time by cursor; a jump walks the cursors to it', async () => {
    const api = stubApi(async (_p, q) => listAnswer('events', 61, q, alertEvent));
    renderAt('#/saved?tab=history', api);
    expect(await screen.findByText('rule-00')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Page 4 of 4'));
    expect(await screen.findByText('rule-60')).toBeTruthy();
    expect(api.calls).toEqual([
      ['/alerts/history', { size: 20 }],
      ['/alerts/history', { size: 20, cursor: 'c-20' }],
      ['/alerts/history', { size: 20, cursor: 'c-40' }],
      ['/alerts/history', { size: 20, cursor: 'c-60' }],
    ]);
  });
});

/** A stored version of /etc/hosts; its size (1000 + n bytes) tells the rows apart. */
const version = (n: number) => ({
  id: `v-${n}`,
  index: 'mitra-history-2026.11.27',
  timestamp: T,
  sha256: null,
  size: 1000 + n,
  state: 'present',
});

describe("Host screen pages a file's versions by cursor, as every list does", () => {
  it("asks /history for size and cursor, pages from the last page's next, keeps the page when a version is picked, starts afresh for another file", async () => {
    const files = { query: '', asOf: T, total: 1, page: 0, size: 1000, hits: [] };
    const api = stubApi(async (path, q) => {
      if (path === '/search') return files;
      if (path === '/get') return { doc: null };
      return { host: 'web-01', path: String(q?.path), asOf: T, ...listAnswer('versions', 45, q, version) };
    });
    renderAt(`#/host/web-01?path=${encodeURIComponent('/etc/hosts')}`, api);
    expect(await screen.findByText('1000 bytes')).toBeTruthy();
    expect(screen.getByText('45 versions; pick two to see what changed')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Page 3 of 3'));
    expect(await screen.findByText('1040 bytes')).toBeTruthy();
    const history = () => api.calls.filter(([p]) => p === '/history');
    expect(history()).toEqual([
      ['/history', { host: 'web-01', path: '/etc/hosts', size: 20 }],
      ['/history', { host: 'web-01', path: '/etc/hosts', size: 20, cursor: 'c-20' }],
      ['/history', { host: 'web-01', path: '/etc/hosts', size: 20, cursor: 'c-40' }],
    ]);
    // Picking "from" puts the version in the URL; the list stays on its page and asks nothing again.
    fireEvent.click(within(screen.getByText('1041 bytes').closest('tr')!).getByText('from'));
    await waitFor(() => expect(window.location.hash).toContain('from=v-41'));
    expect(screen.getByText('1041 bytes')).toBeTruthy();
    expect(history()).toHaveLength(3);
    // Another file: its first page, from no cursor.
    act(() => void (window.location.hash = `#/host/web-01?path=${encodeURIComponent('/etc/fstab')}`));
    await waitFor(() => expect(history().at(-1)).toEqual(['/history', { host: 'web-01', path: '/etc/fstab', size: 20 }]));
    expect(await screen.findByText('1000 bytes')).toBeTruthy();
  });
});
