/**
 * Kibana's browser-side API, as far as the Mitra plugin uses it: the one place
 * that declares it. Every member carries the name and signature Kibana has,
 * read in elastic/kibana (the paths below; files of the 9.x source layout,
 * `src/core/packages/**`, `src/platform/**`, `x-pack/platform/**`, as stored in
 * the search index, which does not tag release branches — see
 * kibana-plugin/README.md "Facts"). Only members the plugin or the test
 * stand-in use are declared: a smaller interface than Kibana's, never a
 * member Kibana lacks. Written here from what was read; no Kibana code.
 */
import type { FC, FunctionComponent, PropsWithChildren, ReactElement, ReactNode } from 'react';

// ---------------------------------------------------------------- rxjs-like
/** The slice of rxjs' Observable the plugin subscribes to (Kibana hands in real rxjs Observables). */
export interface Observable<T> {
  subscribe(next: (value: T) => void): { unsubscribe(): void };
}

// ---------------------------------------------------------------- theme
/** src/core/packages/theme/browser/src/types.ts: `CoreTheme`. */
export interface CoreTheme {
  /** is dark mode enabled or not */
  readonly darkMode: boolean;
  /** Name of the active theme */
  readonly name: string;
}

/** src/core/packages/theme/browser/src/types.ts: `ThemeServiceStart`. */
export interface ThemeServiceStart {
  theme$: Observable<CoreTheme>;
  getTheme(): CoreTheme;
}

// ---------------------------------------------------------------- i18n
/** src/core/packages/i18n/browser/src/types.ts: `I18nStart` — the React context every Kibana tree renders in. */
export interface I18nStart {
  Context: (props: { children: ReactNode }) => ReactElement;
}

// ---------------------------------------------------------------- http
/** src/core/packages/http/browser/src/types.ts: `HttpFetchQuery`. */
export type HttpFetchQuery = Record<string, string | number | boolean | undefined | null | Array<string | number | boolean>>;

/** src/core/packages/http/browser/src/types.ts: `HttpFetchOptions` (members used here). */
export interface HttpFetchOptions {
  method?: string;
  query?: HttpFetchQuery;
  headers?: Record<string, string>;
  body?: string | null;
  /** the route version for versioned routes; plain routes take none */
  version?: string;
}

/**
 * src/core/packages/http/browser/src/types.ts: `HttpHandler` / `HttpSetup.fetch`.
 * Kibana prepends the base path, adds its own headers (kbn-version, the XSRF
 * header) and rejects with an `IHttpFetchError` (`body`, `response`) on non-2xx.
 */
export interface HttpSetup {
  fetch<T = unknown>(path: string, options?: HttpFetchOptions): Promise<T>;
  basePath: { prepend(url: string): string; get(): string };
}
export type HttpStart = HttpSetup;

// ---------------------------------------------------------------- chrome
/** src/core/packages/chrome/browser/src/breadcrumb.ts: `ChromeBreadcrumb` (an EuiBreadcrumb). */
export interface ChromeBreadcrumb {
  text: ReactNode;
  href?: string;
  onClick?: (event: { preventDefault(): void }) => void;
  'data-test-subj'?: string;
}

/** src/core/packages/chrome/browser/src/doc_title.ts: `ChromeDocTitle`. */
export interface ChromeDocTitle {
  /** Changes the current document title; an array is joined with ' - ' by Kibana, which appends ' - Elastic'. */
  change(newTitle: string | string[]): void;
  reset(): void;
}

/** src/core/packages/chrome/browser/src/contracts.ts: `ChromeStart` (members used here). */
export interface ChromeStart {
  docTitle: ChromeDocTitle;
  setBreadcrumbs(newBreadcrumbs: ChromeBreadcrumb[], params?: Record<string, unknown>): void;
}

// ---------------------------------------------------------------- notifications
/** src/core/packages/notifications/browser/src/types.ts + toasts: `NotificationsStart.toasts` (members used here). */
export interface NotificationsStart {
  toasts: {
    addSuccess(toastOrTitle: string | { title: string; text?: string }): unknown;
    addDanger(toastOrTitle: string | { title: string; text?: string }): unknown;
  };
}

// ---------------------------------------------------------------- history
/** history@4 (Kibana's `history` shared dependency): `Location`. */
export interface HistoryLocation<S = unknown> {
  pathname: string;
  search: string;
  hash: string;
  state: S;
  key?: string;
}

/** history@4: `LocationDescriptorObject`. */
export interface LocationDescriptorObject<S = unknown> {
  pathname?: string;
  search?: string;
  hash?: string;
  state?: S;
}

/** history@4: `Action`. */
export type HistoryAction = 'PUSH' | 'POP' | 'REPLACE';

/**
 * src/core/packages/application/browser/src/scoped_history.ts: `ScopedHistory`
 * extends history@4's `History` (members used here: location, listen, push,
 * replace, createHref) and adds `createSubHistory` and a `createHref` that
 * prepends the app's base path unless `prependBasePath: false`.
 */
export interface ScopedHistory<S = unknown> {
  readonly location: HistoryLocation<S>;
  listen(listener: (location: HistoryLocation<S>, action: HistoryAction) => void): () => void;
  push(path: string | LocationDescriptorObject<S>, state?: S): void;
  replace(path: string | LocationDescriptorObject<S>, state?: S): void;
  createHref(location: LocationDescriptorObject<S>, options?: { prependBasePath?: boolean }): string;
  createSubHistory(basePath: string): ScopedHistory;
}

// ---------------------------------------------------------------- application
/** src/core/packages/mount-utils/browser/src/mount_point.ts: `MountPoint`. */
export type MountPoint<T extends HTMLElement = HTMLElement> = (element: T) => () => void;

/** src/core/packages/application/browser/src/app_leave.ts: `AppLeaveHandler` (the plugin registers none; typed opaque). */
export type AppLeaveHandler = (factory: unknown, nextAppId?: string) => unknown;

/** src/core/packages/application/browser/src/app_mount.ts: `AppUnmount`. */
export type AppUnmount = () => void;

/** src/core/packages/application/browser/src/app_mount.ts: `AppMountParameters`. */
export interface AppMountParameters<S = unknown> {
  element: HTMLElement;
  history: ScopedHistory<S>;
  /** @deprecated in Kibana: use `history` */
  appBasePath: string;
  onAppLeave: (handler: AppLeaveHandler) => void;
  setHeaderActionMenu: (menuMount: MountPoint | undefined) => void;
  theme$: Observable<CoreTheme>;
}

/** src/core/packages/application/browser/src/app_mount.ts: `AppMount`. */
export type AppMount<S = unknown> = (params: AppMountParameters<S>) => AppUnmount | Promise<AppUnmount>;

/** src/core/packages/application/common/src/app_category.ts: `AppCategory`. */
export interface AppCategory {
  id: string;
  label: string;
  ariaLabel?: string;
  order?: number;
  euiIconType?: string;
}

/** src/core/packages/application/browser/src/application.ts: `App` (members used here). */
export interface App<S = unknown> {
  /** alphanumeric characters, `-`, `:` and `_` */
  id: string;
  title: string;
  category?: AppCategory;
  order?: number;
  euiIconType?: string;
  mount: AppMount<S>;
  appRoute?: string;
}

/** src/core/packages/application/browser/src/contracts.ts: `ApplicationSetup` (members used here). */
export interface ApplicationSetup {
  register<S = unknown>(app: App<S>): void;
}

// ---------------------------------------------------------------- core
/** src/core/packages/lifecycle/browser/src/core_start.ts: `CoreStart` (members used here). */
export interface CoreStart {
  http: HttpStart;
  chrome: ChromeStart;
  theme: ThemeServiceStart;
  i18n: I18nStart;
  notifications: NotificationsStart;
}

/**
 * src/core/packages/lifecycle/browser/src/core_setup.ts: `CoreSetup` (members
 * used here). `getStartServices` resolves to [coreStart, pluginsStart, ownStart].
 */
export interface CoreSetup<TPluginsStart extends object = object> {
  application: ApplicationSetup;
  getStartServices(): Promise<[CoreStart, TPluginsStart, unknown]>;
}

/** src/core/packages/plugins/browser/src/plugin_initializer.ts: `Plugin` (the instance `plugin()` returns). */
export interface Plugin<TSetup = void, TStart = void, TPluginsSetup extends object = object, TPluginsStart extends object = object> {
  setup(core: CoreSetup<TPluginsStart>, plugins: TPluginsSetup): TSetup;
  start(core: CoreStart, plugins: TPluginsStart): TStart;
  stop?(): void;
}

/**
 * src/core/packages/plugins/browser-internal/src/plugin_reader.ts: the bundle
 * loader `window.__kbnBundles__` core reads a plugin from: `get('plugin/<id>/public')`
 * returns the module, whose `plugin` export must be a function (the initializer).
 * `define(key, bundleRequire, bundleModuleKey)` is how a bundle registers
 * (src/core/packages/rendering/server-internal/src/bootstrap/render_template.ts,
 * `kbnBundlesLoader`; packages/kbn-optimizer/src/worker/entry_point_creator.ts).
 */
export interface KbnBundles {
  has(key: string): boolean;
  get(key: string): unknown;
  define(key: string, bundleRequire: (moduleKey: unknown) => unknown, bundleModuleKey: unknown): void;
}

/** src/core/packages/plugins/browser/src/plugin_initializer.ts: `PluginInitializerContext` (nothing used). */
export type PluginInitializer<TSetup = void, TStart = void> = (initializerContext: unknown) => Plugin<TSetup, TStart>;

// ---------------------------------------------------------------- render context
/**
 * src/platform/packages/shared/react/kibana_context/render/render_provider.tsx:
 * `KibanaRenderContextProviderProps` = KibanaRootContextProviderProps without
 * `globalStyles` (src/platform/packages/shared/react/kibana_context/root/root_provider.tsx,
 * eui_provider.tsx): `i18n` and `theme` required (the EuiProvider's color mode
 * follows `theme.theme$`), the rest optional.
 */
export interface KibanaRenderContextProviderProps {
  i18n: I18nStart;
  theme: Pick<ThemeServiceStart, 'theme$'>;
  analytics?: unknown;
  executionContext?: unknown;
  userProfile?: unknown;
  colorMode?: 'LIGHT' | 'DARK';
}

/**
 * The module `@kbn/react-kibana-context-render` as Kibana's shared deps hand it
 * to plugin bundles (`__kbnSharedDeps__.KbnReactKibanaContextRender`,
 * src/platform/packages/private/kbn-ui-shared-deps-src/src/definitions.js).
 * tsconfig `paths` points the module name at this file, so the declaration
 * below is its type; at run time it is Kibana's own component.
 */
export declare const KibanaRenderContextProvider: FC<PropsWithChildren<KibanaRenderContextProviderProps>>;

// ---------------------------------------------------------------- triggersActionsUi
/** x-pack/platform/packages/shared/kbn-alerts-ui-shared/src/common/types: `ValidationResult`. */
export interface ValidationResult {
  errors: Record<string, string[]>;
}

/** x-pack/platform/plugins/shared/alerting/common/rule.ts: `RuleTypeParams`. */
export type RuleTypeParams = Record<string, unknown>;

/**
 * x-pack/platform/plugins/shared/triggers_actions_ui/public/types.ts:
 * `RuleTypeParamsExpressionProps` (members the params form uses).
 */
export interface RuleTypeParamsExpressionProps<Params extends RuleTypeParams = RuleTypeParams> {
  id?: string;
  ruleParams: Params;
  ruleInterval: string;
  setRuleParams: <Key extends keyof Params>(property: Key, value: Params[Key] | undefined) => void;
  errors: Record<string, string | string[] | unknown>;
}

/** x-pack/platform/plugins/shared/triggers_actions_ui/public/types.ts: `RuleTypeModel`. */
export interface RuleTypeModel<Params extends RuleTypeParams = RuleTypeParams> {
  id: string;
  description: string;
  iconClass: string;
  documentationUrl: string | ((docLinks: unknown) => string) | null;
  validate: (ruleParams: Params, isServerless?: boolean) => ValidationResult;
  ruleParamsExpression: FunctionComponent<RuleTypeParamsExpressionProps<Params>>;
  requiresAppContext: boolean;
  defaultActionMessage?: string;
  defaultRecoveryMessage?: string;
}

/**
 * x-pack/platform/plugins/shared/triggers_actions_ui/public/types.ts:
 * `RuleTypeRegistryContract` = PublicMethodsOf<TypeRegistry<RuleTypeModel>>
 * (kbn-alerts-ui-shared/src/common/type_registry.ts: register, has, get, list).
 */
export interface RuleTypeRegistryContract {
  register(objectType: RuleTypeModel): void;
  has(id: string): boolean;
  get(id: string): RuleTypeModel;
  list(): RuleTypeModel[];
}

/** x-pack/platform/plugins/shared/triggers_actions_ui/public/plugin.ts: `TriggersAndActionsUIPublicPluginSetup` (members used here). */
export interface TriggersAndActionsUIPublicPluginSetup {
  ruleTypeRegistry: RuleTypeRegistryContract;
}
