/**
 * The slice of Kibana's server API this plugin uses, declared locally because
 * the `@kbn/*` packages are not published to the npm registry. Shapes follow
 * Kibana 8.17's public types (`@kbn/core-http-server`, `@kbn/core-plugins-server`,
 * `@kbn/alerting-plugin/server`, `@kbn/features-plugin/server`); only the
 * members used here are declared. Inside a Kibana checkout these names can be
 * imported from `@kbn/core/server` etc. instead, with no other change.
 */
import type { Client } from '@elastic/elasticsearch';

// ---- core.http: router, validation, responses (@kbn/core-http-server) ----

/** What a validation function returns: exactly one of value or error. */
export type RouteValidationResult<T> = { value: T; error?: never } | { value?: never; error: Error };

export interface RouteValidationResultFactory {
  ok<T>(value: T): { value: T };
  badRequest(error: Error | string, path?: string[]): { error: Error };
}

/** Kibana's function form of a route validator (the alternative to a config-schema type). */
export type RouteValidationFunction<T> = (data: unknown, validationResult: RouteValidationResultFactory) => RouteValidationResult<T>;

export interface RouteValidatorFullConfig<P, Q, B> {
  params?: RouteValidationFunction<P>;
  query?: RouteValidationFunction<Q>;
  body?: RouteValidationFunction<B>;
}

export interface RouteSecurity {
  authz: { requiredPrivileges: string[] } | { enabled: false; reason: string };
}

export interface RouteConfig<P, Q, B> {
  path: string;
  validate: RouteValidatorFullConfig<P, Q, B> | false;
  security?: RouteSecurity;
  options?: { access?: 'public' | 'internal'; summary?: string; tags?: readonly string[] };
}

export interface KibanaRequest<P = unknown, Q = unknown, B = unknown> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly url: URL;
  readonly route: { path: string; method: string };
}

export interface ResponseErrorBody {
  message: string;
  attributes?: Record<string, unknown>;
}

export interface IKibanaResponse<T = unknown> {
  readonly status: number;
  readonly payload?: T;
  readonly options: { body?: T; headers?: Record<string, string> };
}

export interface KibanaResponseFactory {
  ok<T>(options?: { body?: T; headers?: Record<string, string> }): IKibanaResponse<T>;
  created<T>(options?: { body?: T; headers?: Record<string, string> }): IKibanaResponse<T>;
  badRequest(options?: { body?: ResponseErrorBody | string }): IKibanaResponse;
  notFound(options?: { body?: ResponseErrorBody | string }): IKibanaResponse;
  customError(options: { statusCode: number; body?: ResponseErrorBody | string; headers?: Record<string, string> }): IKibanaResponse;
}

/** Kibana's ElasticsearchClient is the official 8.x client's type. */
export type ElasticsearchClient = Client;

export interface IScopedClusterClient {
  readonly asCurrentUser: ElasticsearchClient;
  readonly asInternalUser: ElasticsearchClient;
}

/** Since 8.2 `context.core` is a promise: `(await context.core).elasticsearch`. */
export interface RequestHandlerContext {
  core: Promise<{ elasticsearch: { client: IScopedClusterClient } }>;
}

export type RequestHandler<P, Q, B> = (
  context: RequestHandlerContext,
  request: KibanaRequest<P, Q, B>,
  response: KibanaResponseFactory,
) => Promise<IKibanaResponse> | IKibanaResponse;

export type RouteRegistrar = <P, Q, B>(route: RouteConfig<P, Q, B>, handler: RequestHandler<P, Q, B>) => void;

export interface IRouter {
  get: RouteRegistrar;
  post: RouteRegistrar;
  put: RouteRegistrar;
  delete: RouteRegistrar;
  patch: RouteRegistrar;
}

// ---- plugin lifecycle (@kbn/core-plugins-server) ----

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string | Error): void;
  error(message: string | Error): void;
}

export interface PluginInitializerContext {
  logger: { get(...contextParts: string[]): Logger };
}

export interface CoreSetup {
  http: { createRouter(): IRouter };
}

// ---- alerting (@kbn/alerting-plugin/server, 8.17) ----

export interface ActionGroup<Id extends string = string> {
  id: Id;
  name: string;
}

export interface AlertFactoryAlert {
  scheduleActions(actionGroup: string, context?: Record<string, unknown>): AlertFactoryAlert;
  replaceState(state: Record<string, unknown>): AlertFactoryAlert;
}

export interface RuleExecutorServices {
  scopedClusterClient: IScopedClusterClient;
  alertFactory: { create(id: string): AlertFactoryAlert };
}

export interface RuleExecutorOptions<Params, State> {
  executionId: string;
  params: Params;
  state: State;
  services: RuleExecutorServices;
  startedAt: Date;
  rule: { id?: string; name: string };
  logger: Logger;
}

export interface RuleType<Params, State extends Record<string, unknown>> {
  id: string;
  name: string;
  actionGroups: ActionGroup[];
  defaultActionGroupId: string;
  /** 8.17 validates params through an object with a `validate` method (config-schema or custom). */
  validate: { params: { validate(object: unknown): Params } };
  actionVariables?: { context?: { name: string; description: string }[]; params?: { name: string; description: string }[] };
  executor(options: RuleExecutorOptions<Params, State>): Promise<{ state: State }>;
  producer: string;
  category: string;
  minimumLicenseRequired: 'basic' | 'gold' | 'platinum' | 'enterprise' | 'trial';
  isExportable: boolean;
}

export interface AlertingSetup {
  registerType<Params, State extends Record<string, unknown>>(ruleType: RuleType<Params, State>): void;
}

// ---- features (@kbn/features-plugin/server, 8.17) ----

export interface FeatureKibanaPrivileges {
  app: string[];
  api: string[];
  catalogue?: string[];
  savedObject: { all: string[]; read: string[] };
  ui: string[];
  alerting?: { rule?: { all?: string[]; read?: string[] }; alert?: { all?: string[]; read?: string[] } };
}

export interface KibanaFeatureConfig {
  id: string;
  name: string;
  category: { id: string; label: string; euiIconType?: string; order?: number };
  app: string[];
  catalogue?: string[];
  alerting?: string[];
  privileges: { all: FeatureKibanaPrivileges; read: FeatureKibanaPrivileges } | null;
}

export interface FeaturesSetup {
  registerKibanaFeature(feature: KibanaFeatureConfig): void;
}

/** What `setup(core, plugins)` receives for the optional plugins in kibana.json. */
export interface MitraSetupDeps {
  alerting?: AlertingSetup;
  features?: FeaturesSetup;
}
