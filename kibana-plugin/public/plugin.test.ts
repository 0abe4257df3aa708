import { fireEvent, render, waitFor } from '@testing-library/react';
import { act, createElement } from 'react';
import type {
  App,
  ChromeBreadcrumb,
  CoreSetup,
  CoreStart,
  HistoryAction,
  HistoryLocation,
  RuleTypeModel,
  ScopedHistory,
} from '../kibana_api/public';
import { plugin } from './index';
import { describeCatalog, QUESTIONS } from '@mitra/core';
import type { MitraApi } from './api';
import { fleetQueryRuleTypeModel, validateRuleParams } from './rule_type_model';

/** What GET /api/mitra/questions answers. */
const CATALOG = JSON.parse(JSON.stringify(describeCatalog(QUESTIONS)));

// Kibana's shared-deps module (not on npm): in jsdom, the render context is an EuiProvider plus the i18n context,
// which is what KibanaRenderContextProvider provides (see kibana_api/public.ts).
jest.mock(
  '@kbn/react-kibana-context-render',
  () => {
    const { createElement: h } = jest.requireActual('react');
    const { EuiProvider } = jest.requireActual('@elastic/eui');
    return {
      KibanaRenderContextProvider: ({ i18n, children }: { i18n: CoreStart['i18n']; children: unknown }) =>
        h(EuiProvider, { colorMode: 'light' }, h(i18n.Context, null, children)),
    };
  },
  { virtual: true },
);

/** A ScopedHistory over memory, with the members declared in kibana_api/public.ts, scoped to /app/mitra. */
function memoryHistory(start: string): ScopedHistory & { entries: string[] } {
  const listeners = new Set<(l: HistoryLocation, action: HistoryAction) => void>();
  const entries = [start];
  const toLocation = (path: string): HistoryLocation => {
    const [pathname, search = ''] = path.split('?', 2);
    return { pathname, search: search ? `?${search}` : '', hash: '', state: undefined };
  };
  const pathOf = (to: Parameters<ScopedHistory['push']>[0]) => (typeof to === 'string' ? to : `${to.pathname ?? ''}${to.search ?? ''}`);
  const go = (path: string, action: HistoryAction) => {
    entries.push(path);
    listeners.forEach((l) => l(toLocation(path), action));
  };
  return {
    entries,
    get location() {
      return toLocation(entries.at(-1)!);
    },
    listen: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    push: (to) => go(pathOf(to), 'PUSH'),
    replace: (to) => go(pathOf(to), 'REPLACE'),
    createHref: (to, options) => `${options?.prependBasePath === false ? '' : '/app/mitra'}${pathOf(to)}`,
    createSubHistory: () => {
      throw new Error('not used');
    },
  };
}

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

  it('registers the app and the rule type; mount routes through params.history, sets chrome, and unmounts cleanly', async () => {
    const registered: App[] = [];
    const ruleTypes: RuleTypeModel[] = [];
    const fetched: [string, unknown][] = [];
    const breadcrumbs: ChromeBreadcrumb[][] = [];
    const titles: (string | string[])[] = [];
    const http = {
      fetch: async <T>(path: string, options: unknown) => {
        fetched.push([path, options]);
        if (path === '/api/mitra/overview') return { hosts: 0, kernels: [], os: [], total: 0 } as T;
        if (path === '/api/mitra/questions') return CATALOG as T;
        return { asOf: null, total: 0, conditions: ['kernel 4.4'], hosts: [] } as T;
      },
      basePath: { prepend: (u: string) => u, get: () => '' },
    };
    const never = { subscribe: () => ({ unsubscribe: () => {} }) };
    const coreStart: CoreStart = {
      http,
      chrome: {
        setBreadcrumbs: (b) => breadcrumbs.push(b),
        docTitle: { change: (t) => titles.push(t), reset: () => titles.push('reset') },
      },
      theme: { theme$: never, getTheme: () => ({ darkMode: false, name: 'borealis' }) },
      i18n: { Context: ({ children }) => createElement('div', { 'data-i18n': 'context' }, children) },
      notifications: { toasts: { addSuccess: () => undefined, addDanger: () => undefined } },
    };
    const core: CoreSetup = {
      application: { register: (app) => registered.push(app as App) },
      getStartServices: async () => [coreStart, {}, {}],
    };
    const registry = {
      register: (m: RuleTypeModel) => ruleTypes.push(m),
      has: () => false,
      get: () => ruleTypes[0],
      list: () => ruleTypes,
    };
    plugin().setup(core, { triggersActionsUi: { ruleTypeRegistry: registry } });
    expect(registered.map((a) => [a.id, a.title])).toEqual([['mitra', 'Mitra']]);
    expect(ruleTypes.map((m) => [m.id, m.requiresAppContext])).toEqual([['mitra.fleet-query', false]]);

    const history = memoryHistory('/fleet?type=kernel&value=4.4');
    const element = document.createElement('div');
    document.body.appendChild(element);
    let unmount: () => void = () => {};
    await act(async () => {
      unmount = await registered[0].mount({
        element,
        history,
        appBasePath: '/app/mitra',
        onAppLeave: () => {},
        setHeaderActionMenu: () => {},
        theme$: never,
      });
    });
    await waitFor(() => expect(element.textContent).toContain('0 hosts, as of no data yet'));
    expect(element.querySelector('[data-i18n="context"]')).not.toBeNull();
    // Kibana's http adds the base path itself: the app passes the route path and the query as an object.
    expect(fetched.slice(0, 3)).toEqual([
      ['/api/mitra/overview', { method: 'GET', query: {}, body: undefined }],
      ['/api/mitra/questions', { method: 'GET', query: {}, body: undefined }],
      ['/api/mitra/hosts', { method: 'GET', query: { kernel: '4.4', size: '50' }, body: undefined }],
    ]);
    expect(breadcrumbs.at(-1)?.map((b) => b.text)).toEqual(['Mitra', 'Fleet']);
    expect(breadcrumbs.at(-1)?.[0].href).toBe('/app/mitra/fleet');
    expect(titles.at(-1)).toEqual(['Fleet', 'Mitra']);
    // Links are the history's hrefs; a click pushes onto the history instead of loading a page.
    const compare = element.querySelector('[data-test-subj="tab-compare"]') as HTMLAnchorElement;
    expect(compare.getAttribute('href')).toBe('/app/mitra/compare');
    await act(async () => fireEvent.click(compare));
    expect(history.entries.at(-1)).toBe('/compare');
    await waitFor(() => expect(titles.at(-1)).toEqual(['Compare', 'Mitra']));
    act(() => unmount());
    expect(element.innerHTML).toBe('');
    expect(titles.at(-1)).toBe('reset');
  });

  it('validates rule params against the catalog forms (the values are checked by the server rule type)', () => {
    expect(validateRuleParams({ kind: 'hosts', params: { kernel: '4.4' }, threshold: 0 }, CATALOG).errors).toEqual({
      question: [],
      threshold: [],
    });
    expect(validateRuleParams({ kind: 'hosts', params: { kernel: ' ' }, threshold: 0 }, CATALOG).errors.question).toEqual([
      'enter a value for "Kernel", e.g. 4.4',
    ]);
    expect(validateRuleParams({ kind: 'hosts', params: { kernel: '4.4', os: 'x' } }, CATALOG).errors.question[0]).toMatch(
      /no question form/,
    );
    expect(validateRuleParams({ kind: 'hosts', params: { kernel: '4.4' }, threshold: -1 }, CATALOG).errors.threshold).toHaveLength(1);
    expect(validateRuleParams({}, CATALOG).errors.question).toEqual(['choose a question and enter its value']);
  });

  it('the params form, built from GET /api/mitra/questions, writes the question as the server rule type params (kind, params, threshold)', async () => {
    const set = jest.fn();
    const asked: string[] = [];
    const api = { get: async (path: string) => (asked.push(path), CATALOG) } as unknown as MitraApi;
    const Form = (fleetQueryRuleTypeModel(async () => api) as RuleTypeModel).ruleParamsExpression;
    const { container } = render(createElement(Form, { ruleParams: {}, ruleInterval: '1m', setRuleParams: set, errors: {} }));
    const subj = (id: string) => container.querySelector(`[data-test-subj="${id}"]`)!;
    await waitFor(() => expect(subj('mitra-rule-question-type')).not.toBeNull());
    expect(asked).toEqual(['/questions']);
    fireEvent.change(subj('mitra-rule-question-type'), { target: { value: 'missing_package' } });
    fireEvent.change(subj('mitra-rule-question-value'), { target: { value: 'zsh' } });
    expect(set).toHaveBeenCalledWith('kind', 'hosts');
    expect(set).toHaveBeenCalledWith('params', { missingPackage: 'zsh' });
    expect(set).toHaveBeenCalledWith('threshold', 0);
  });
});
