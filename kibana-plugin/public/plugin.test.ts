import { waitFor } from '@testing-library/react';
import { act } from 'react';
import { plugin } from './index';
import type { PublicCoreSetup } from './plugin';

/** The Kibana browser side: the app is registered with a lazy mount that renders into Kibana's element and unmounts cleanly. */
describe('Mitra public plugin', () => {
  // jsdom's CSS parser does not know EUI's @container rules; every other console error still shows.
  const realError = console.error;
  beforeEach(() => {
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      if (!String((args[0] as Error)?.message ?? args[0]).includes('Could not parse CSS stylesheet')) realError(...args);
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('registers the mitra app; mount renders it through core.http and returns its unmount', async () => {
    const registered: Parameters<PublicCoreSetup['application']['register']>[0][] = [];
    const fetched: [string, unknown][] = [];
    const http = {
      fetch: async <T>(path: string, options: unknown) => {
        fetched.push([path, options]);
        if (path === '/api/mitra/overview') return { hosts: 0, kernels: [], os: [], total: 0 } as T;
        return { asOf: null, total: 0, page: 1, size: 50, conditions: ['kernel 4.4'], hosts: [] } as T;
      },
    };
    plugin().setup({ application: { register: (app) => registered.push(app) }, getStartServices: async () => [{ http }, {}, {}] });
    expect(registered.map((a) => [a.id, a.title])).toEqual([['mitra', 'Mitra']]);

    window.location.hash = '#/fleet?type=kernel&value=4.4';
    const element = document.createElement('div');
    document.body.appendChild(element);
    let unmount: () => void = () => {};
    await act(async () => {
      unmount = await registered[0].mount({ element, history: {}, appBasePath: '/app/mitra' });
    });
    await waitFor(() => expect(element.textContent).toContain('0 hosts, as of no data yet'));
    // Kibana's http adds the base path itself: the app passes the route path and the query as an object.
    expect(fetched).toEqual([
      ['/api/mitra/overview', { method: 'GET', query: {}, body: undefined }],
      ['/api/mitra/hosts', { method: 'GET', query: { kernel: '4.4', page: '1', size: '50' }, body: undefined }],
    ]);
    act(() => unmount());
    expect(element.innerHTML).toBe('');
  });
});
