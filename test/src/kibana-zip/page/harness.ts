import type {
  App,
  AppUnmount,
  ChromeBreadcrumb,
  CoreSetup,
  CoreStart,
  CoreTheme,
  HistoryAction,
  HistoryLocation,
  HttpFetchOptions,
  LocationDescriptorObject,
  Observable,
  PluginInitializer,
  RuleTypeModel,
  ScopedHistory,
} from '../../../../kibana-plugin/kibana_api/public';

/**
 * Kibana's core as the plugin sees it, built from the declarations in
 * kibana-plugin/kibana_api/public.ts (type-checked against them by the test):
 * reads the plugin from the bundle loader, runs setup and start, captures
 * application.register and the rule type registry, and mounts the app with
 * AppMountParameters whose history is a ScopedHistory over the page's URL.
 */

/**
 * The Rules flyout (triggers_actions_ui rule_form.tsx) renders the rule type's
 * params form and calls its synchronous `validate` as params change; a form
 * that loads what it validates against must say "not valid yet" until then.
 * Here: validate before the form exists, render the form, and validate again
 * once it has loaded (polled, at most 20 s).
 */
async function validatedInFlyout(m: RuleTypeModel): Promise<{ hasForm: boolean; validatesBeforeForm: boolean; validates: boolean }> {
  const params = { kind: 'hosts', params: { kernel: '4.4' }, threshold: 0 };
  const valid = () => Object.values(m.validate(params).errors).every((e) => (e as unknown[]).length === 0);
  const validatesBeforeForm = valid();
  const hasForm = typeof m.ruleParamsExpression === 'function';
  if (!hasForm) return { hasForm, validatesBeforeForm, validates: valid() };
  const { React, ReactDom } = window.__kbnSharedDeps__ as { React: typeof import('react'); ReactDom: typeof import('react-dom') };
  const host = document.createElement('div');
  document.body.appendChild(host);
  const props = { ruleParams: { ...params }, ruleInterval: '1m', setRuleParams: () => {}, errors: {} };
  ReactDom.render(React.createElement(m.ruleParamsExpression as never, props as never), host);
  for (let waited = 0; !valid() && waited < 20_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  const validates = valid();
  ReactDom.unmountComponentAtNode(host);
  host.remove();
  return { hasForm, validatesBeforeForm, validates };
}

/** Kibana's theme$ is a BehaviorSubject: a subscriber gets the current theme at once. */
function behavior<T>(value: T): Observable<T> {
  return {
    subscribe(next) {
      next(value);
      return { unsubscribe() {} };
    },
  };
}

/** ScopedHistory (scoped_history.ts) over window.history, scoped to `basePath`. */
function scopedHistory(basePath: string): ScopedHistory {
  const listeners = new Set<(location: HistoryLocation, action: HistoryAction) => void>();
  const current = (): HistoryLocation => {
    const path = window.location.pathname;
    return {
      pathname: path.startsWith(basePath) ? path.slice(basePath.length) || '/' : '/',
      search: window.location.search,
      hash: window.location.hash,
      state: window.history.state,
    };
  };
  const notify = (action: HistoryAction) => listeners.forEach((l) => l(current(), action));
  window.addEventListener('popstate', () => notify('POP'));
  const pathOf = (to: string | LocationDescriptorObject) =>
    typeof to === 'string' ? to : `${to.pathname ?? ''}${to.search ?? ''}${to.hash ?? ''}`;
  return {
    get location() {
      return current();
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push(to, state) {
      window.history.pushState(state ?? null, '', basePath + pathOf(to));
      notify('PUSH');
    },
    replace(to, state) {
      window.history.replaceState(state ?? null, '', basePath + pathOf(to));
      notify('REPLACE');
    },
    createHref: (to, options) => `${options?.prependBasePath === false ? '' : basePath}${pathOf(to)}`,
    createSubHistory: (sub) => scopedHistory(basePath + sub),
  };
}

/** core.http.fetch: base path '', JSON in and out, a non-2xx rejects with `body` and `response` as Kibana's IHttpFetchError. */
async function fetchJson<T>(path: string, options: HttpFetchOptions = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== null) query.set(k, String(v));
  const qs = query.toString();
  const res = await window.fetch(`${path}${qs ? `?${qs}` : ''}`, {
    method: options.method ?? 'GET',
    headers: { 'content-type': 'application/json', 'kbn-version': '9.2.4', ...options.headers },
    body: options.body ?? undefined,
  });
  const text = await res.text();
  const body = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw Object.assign(new Error(body?.message ?? res.statusText), { body, response: { status: res.status } });
  return body as T;
}

export interface HarnessState {
  apps: string[];
  ruleTypes: {
    id: string;
    description: string;
    requiresAppContext: boolean;
    hasForm: boolean;
    validatesBeforeForm: boolean;
    validates: boolean;
  }[];
  breadcrumbs: string[][];
  titles: string[][];
  unmount(): string;
}

declare global {
  interface Window {
    __mitraBoot(options: { darkMode: boolean }): Promise<void>;
    __harness?: HarnessState;
  }
}

window.__mitraBoot = async ({ darkMode }) => {
  const { plugin } = window.__kbnBundles__.get('plugin/mitra/public') as { plugin: PluginInitializer };
  const instance = plugin({});
  const apps: App[] = [];
  const ruleTypes: RuleTypeModel[] = [];
  const breadcrumbs: string[][] = [];
  const titles: string[][] = [];
  const theme: CoreTheme = { darkMode, name: 'borealis' };
  const coreStart: CoreStart = {
    http: { fetch: fetchJson, basePath: { prepend: (u) => u, get: () => '' } },
    chrome: {
      setBreadcrumbs: (b: ChromeBreadcrumb[]) => breadcrumbs.push(b.map((c) => String(c.text))),
      docTitle: {
        change: (t) => {
          const parts = Array.isArray(t) ? t : [t];
          titles.push(parts);
          document.title = [...parts, 'Elastic'].join(' - ');
        },
        reset: () => titles.push([]),
      },
    },
    theme: { theme$: behavior(theme), getTheme: () => theme },
    i18n: { Context: ({ children }) => children as never },
    notifications: { toasts: { addSuccess: () => undefined, addDanger: () => undefined } },
  };
  const coreSetup: CoreSetup = {
    application: { register: (app) => apps.push(app as App) },
    getStartServices: async () => [coreStart, {}, {}],
  };
  const ruleTypeRegistry = {
    register: (m: RuleTypeModel) => ruleTypes.push(m),
    has: (id: string) => ruleTypes.some((m) => m.id === id),
    get: (id: string) => ruleTypes.find((m) => m.id === id)!,
    list: () => ruleTypes,
  };
  instance.setup(coreSetup, { triggersActionsUi: { ruleTypeRegistry } });
  instance.start(coreStart, {});
  const element = document.getElementById('app')!;
  const unmount: AppUnmount = await apps[0].mount({
    element,
    history: scopedHistory(`/app/${apps[0].id}`),
    appBasePath: `/app/${apps[0].id}`,
    onAppLeave: () => {},
    setHeaderActionMenu: () => {},
    theme$: behavior(theme),
  });
  const described = [];
  for (const m of ruleTypes)
    described.push({ ...(await validatedInFlyout(m)), id: m.id, description: m.description, requiresAppContext: m.requiresAppContext });
  window.__harness = {
    apps: apps.map((a) => a.id),
    ruleTypes: described,
    breadcrumbs,
    titles,
    unmount: () => {
      unmount();
      return element.innerHTML;
    },
  };
};
