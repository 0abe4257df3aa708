/**
 * Kibana's server API, as far as the Mitra plugin uses it — declared here once,
 * from Kibana's own source (elastic/kibana), because the `@kbn/*` packages are
 * not on the npm registry and Kibana cannot run on these machines. Names and
 * signatures are Kibana's; each block names the file it was read from. The
 * stored copies are from Kibana's main line (commits named below); every member
 * declared here has the same name and shape in 9.2 unless a note says
 * otherwise. Only what the plugin uses is declared, so the stand-in
 * (test/src/kibana-standin) — typed against exactly these declarations — can
 * offer nothing Kibana lacks.
 *
 * Runtime: nothing here exists at runtime except through Kibana; the server
 * bundle keeps `@kbn/*` and `@elastic/elasticsearch` external.
 */
import type { Client } from '@elastic/elasticsearch';

// ---------------------------------------------------------------------------
// Logging — src/platform/packages/shared/kbn-logging/src/logger.ts (1c37eb0)
// ---------------------------------------------------------------------------

/** A message, or a function computing it only when the level is enabled. */
export type LogMessageSource = string | (() => string);

export interface Logger {
  debug(message: LogMessageSource): void;
  info(message: LogMessageSource): void;
  warn(errorOrMessage: LogMessageSource | Error): void;
  error(errorOrMessage: LogMessageSource | Error): void;
}

/** src/platform/packages/shared/kbn-logging/src/logger_factory.ts: `get(...contextParts)`. */
export interface LoggerFactory {
  get(...contextParts: string[]): Logger;
}

// ---------------------------------------------------------------------------
// Plugin lifecycle — src/core/packages/plugins/server/src/types.ts (06057b8)
// ---------------------------------------------------------------------------

/**
 * `PluginConfigSchema<T> = Type<T>`, a `@kbn/config-schema` type (declared in
 * ./kbn-config-schema.d.ts); here only the member Kibana's config service calls.
 */
export interface PluginConfigSchema<T> {
  validate(value: unknown, context?: Record<string, unknown>, namespace?: string): T;
}

/**
 * What the server entry exports as `config`: Kibana validates the plugin's
 * slice of kibana.yml (`mitra.*`, the plugin id in snake_case) against
 * `schema` before the plugin is constructed, and refuses to start on an error.
 */
export interface PluginConfigDescriptor<T> {
  schema: PluginConfigSchema<T>;
}

export interface PluginInitializerContext<ConfigSchema = unknown> {
  /** Bound to the plugin's context (`plugins.mitra`). */
  logger: LoggerFactory;
  config: {
    /** The validated config, synchronously. */
    get: <T = ConfigSchema>() => T;
  };
}

/** src/core/packages/lifecycle/server: `CoreSetup.http` is `HttpServiceSetup` (createRouter). */
export interface CoreSetup {
  http: {
    /**
     * src/core/packages/http/server/src/http_contract.ts: `createRouter<Context>() => IRouter<Context>`,
     * Context defaulting to RequestHandlerContext — the one the plugin uses.
     */
    createRouter: () => IRouter<RequestHandlerContext>;
  };
}

/**
 * src/core/packages/lifecycle/server/src/core_start.ts: `CoreStart.elasticsearch`
 * is `ElasticsearchServiceStart` (src/core/packages/elasticsearch/server/src/contracts.ts),
 * whose `client` is an `IClusterClient` (client/cluster_client.ts); the plugin
 * uses only `asInternalUser`, for its background prune task (a task run has no
 * user request). Kibana's CoreStart has many more services — not used here.
 */
export interface CoreStart {
  elasticsearch: { client: IClusterClient };
}

export interface Plugin<TSetup = void, TStart = void, TPluginsSetup extends object = object, TPluginsStart extends object = object> {
  setup(core: CoreSetup, plugins: TPluginsSetup): TSetup;
  start(core: CoreStart, plugins: TPluginsStart): TStart;
  stop?(): void;
}

/** Since 8.10 a server plugin initializer returns a promise (the plugin may be imported lazily). */
export type PluginInitializer<
  TSetup = void,
  TStart = void,
  TPluginsSetup extends object = object,
  TPluginsStart extends object = object,
> = (core: PluginInitializerContext) => Promise<Plugin<TSetup, TStart, TPluginsSetup, TPluginsStart>>;

// ---------------------------------------------------------------------------
// Elasticsearch — src/core/packages/elasticsearch/server/src/client/client.ts (1d34ee0),
//   scoped_cluster_client.ts, src/core/packages/elasticsearch/server/src/contracts.ts
// ---------------------------------------------------------------------------

/**
 * The official client minus what Kibana keeps to itself. Kibana 9.2 types it
 * against ITS copy of @elastic/elasticsearch (9.x); this repo has the 8.19
 * client's types, so the methods core calls are checked against 8.19's
 * signatures (the request shapes core uses are the same in 9.x).
 */
export type ElasticsearchClient = Omit<Client, 'connectionPool' | 'serializer' | 'extend' | 'close' | 'diagnostic'>;

/** `IClusterClient` (also `asScoped(request)`, not used): `asInternalUser` runs as Kibana's own user (kibana_system). */
export interface IClusterClient {
  readonly asInternalUser: ElasticsearchClient;
}

/** `IScopedClusterClient`: `asCurrentUser` runs with the requesting user's (or the rule owner's API key's) privileges. */
export interface IScopedClusterClient {
  readonly asCurrentUser: ElasticsearchClient;
}

// ---------------------------------------------------------------------------
// HTTP router — src/core/packages/http/server/src/router/
//   route.ts (0311e8b), route_validator.ts (4532978), router.ts (0505073),
//   request.ts, request_handler.ts (55cbab2), response.ts, response_factory.d.ts (841c321),
//   src/core/packages/http/request-handler-context-server/src/request_handler_context.ts (09a9f40)
// ---------------------------------------------------------------------------

export type RouteMethod = 'get' | 'options' | 'post' | 'put' | 'delete' | 'patch';

/** As of 9.0 internal routes need the `x-elastic-internal-origin` header (Kibana's own browser code sends it). */
export type RouteAccess = 'public' | 'internal';

/** `AuthzEnabled | AuthzDisabled`: every route must declare one since 9.0. */
export type RouteAuthz =
  { requiredPrivileges: Array<string | { anyRequired?: string[]; allRequired?: string[] }> } | { enabled: false; reason: string };

export interface RouteSecurity {
  authz: RouteAuthz;
}

export interface RouteConfigOptions<Method extends RouteMethod> {
  /** Defaults to 'internal'. */
  access?: RouteAccess;
  summary?: string;
  /** Only used to keep `Method` in the type, as Kibana's own options do (`xsrfRequired`, `body`). */
  xsrfRequired?: Method extends 'get' ? never : boolean;
}

/** What a validation function returns: the valid value or the error. */
export type RouteValidationResult<T> = { value: T; error?: never } | { value?: never; error: RouteValidationError };

/** route_validator.ts: extends `SchemaTypeError` (an Error with the failing `path`). */
export interface RouteValidationError extends Error {
  readonly path: string[];
}

export interface RouteValidationResultFactory {
  ok: <T>(value: T) => { value: T };
  /** 9.2 takes `Error | string`; newer lines widened it to `unknown`. */
  badRequest: (error: Error | string, path?: string[]) => { error: RouteValidationError };
}

/** The function form of a validation spec (the alternative to a config-schema type). Kibana types `data` as any. */
export type RouteValidationFunction<T> = (data: unknown, validationResult: RouteValidationResultFactory) => RouteValidationResult<T>;

/** `RouteValidatorConfig` with function specs; a part without a spec reaches the handler as `{}`. */
export interface RouteValidatorConfig<P, Q, B> {
  params?: RouteValidationFunction<P>;
  query?: RouteValidationFunction<Q>;
  body?: RouteValidationFunction<B>;
}

export interface RouteConfig<P, Q, B, Method extends RouteMethod> {
  /** `{name}` path segments. */
  path: string;
  validate: RouteValidatorConfig<P, Q, B> | false;
  security?: RouteSecurity;
  options?: RouteConfigOptions<Method>;
}

export interface KibanaRequest<P = unknown, Q = unknown, B = unknown> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
}

/** response.ts: an error body is a message, an Error, or `{message, attributes}`. */
export type ResponseError = string | Error | { message: string | Error; attributes?: Record<string, unknown> };

export interface HttpResponseOptions<T = unknown> {
  body?: T;
  headers?: Record<string, string | string[]>;
}

export interface ErrorHttpResponseOptions {
  body?: ResponseError;
  headers?: Record<string, string | string[]>;
}

export interface CustomHttpResponseOptions<T> {
  body?: T;
  headers?: Record<string, string | string[]>;
  statusCode: number;
}

export interface IKibanaResponse<T = unknown> {
  readonly status: number;
  readonly payload?: T;
  readonly options: HttpResponseOptions<T>;
}

/**
 * response_factory.d.ts. Kibana's factory also has accepted, noContent,
 * redirected, unauthorized, forbidden, conflict, file, ... — not used here.
 * `created` (201) is in the main line's `KibanaSuccessResponseFactory` but not
 * in older lines (elastic/kibana#186336 asked for it in 2024); `custom({
 * statusCode: 201 })` exists in every line, so creations answer through it.
 */
export interface KibanaResponseFactory {
  ok<T>(options?: HttpResponseOptions<T>): IKibanaResponse<T>;
  /** Any status (no range check), body passed through as is. */
  custom<T>(options: CustomHttpResponseOptions<T>): IKibanaResponse<T>;
  badRequest(options?: ErrorHttpResponseOptions): IKibanaResponse;
  notFound(options?: ErrorHttpResponseOptions): IKibanaResponse;
  /** Throws unless 400 <= statusCode < 600. */
  customError(options: CustomHttpResponseOptions<ResponseError>): IKibanaResponse;
}

/** `CoreRequestHandlerContext.elasticsearch` (ElasticsearchRequestHandlerContext). */
export interface CoreRequestHandlerContext {
  elasticsearch: { client: IScopedClusterClient };
}

/** Since 8.2 each context part is a promise: `(await context.core).elasticsearch.client`. */
export interface RequestHandlerContext {
  core: Promise<CoreRequestHandlerContext>;
}

export type RequestHandler<P, Q, B, Context extends RequestHandlerContext = RequestHandlerContext> = (
  context: Context,
  request: KibanaRequest<P, Q, B>,
  response: KibanaResponseFactory,
) => IKibanaResponse | Promise<IKibanaResponse>;

export type RouteRegistrar<Method extends RouteMethod, Context extends RequestHandlerContext = RequestHandlerContext> = <P, Q, B>(
  route: RouteConfig<P, Q, B, Method>,
  handler: RequestHandler<P, Q, B, Context>,
) => void;

/** router.ts: also `patch`, `routerPath`, `versioned`, `handleLegacyErrors` — not used here. */
export interface IRouter<Context extends RequestHandlerContext = RequestHandlerContext> {
  get: RouteRegistrar<'get', Context>;
  post: RouteRegistrar<'post', Context>;
  put: RouteRegistrar<'put', Context>;
  delete: RouteRegistrar<'delete', Context>;
}

// ---------------------------------------------------------------------------
// Alerting — x-pack/platform/plugins/shared/alerting/server/types.ts (03e7940),
//   alert/create_alert_factory.ts (32ceae4), alert/alert.ts, plugin.ts (registerType),
//   rule_type_registry.ts (0bbac85), common/rule.ts, @kbn/alerting-types
// ---------------------------------------------------------------------------

export type RuleTypeParams = Record<string, unknown>;
export type RuleTypeState = Record<string, unknown>;
export type AlertInstanceState = Record<string, unknown>;
export type AlertInstanceContext = Record<string, unknown>;

export interface ActionGroup<ActionGroupIds extends string> {
  id: ActionGroupIds;
  name: string;
}

export interface ActionVariable {
  name: string;
  description: string;
}

/** `LicenseType` (@kbn/licensing-plugin): registerType throws for any other value. */
export type LicenseType = 'basic' | 'standard' | 'gold' | 'platinum' | 'enterprise' | 'trial';

/** `RuleTypeSolution` (@kbn/alerting-types): required on every rule type since 8.16. */
export type RuleTypeSolution = 'stack' | 'observability' | 'security';

/** alert/alert.ts `PublicAlert`: what `alertFactory.create(id)` returns (also getId, getState, ... — unused). */
export interface PublicAlert<State extends AlertInstanceState, Context extends AlertInstanceContext, ActionGroupIds extends string> {
  scheduleActions(actionGroup: ActionGroupIds, context?: Context): PublicAlert<State, Context, ActionGroupIds>;
  replaceState(state: State): PublicAlert<State, Context, ActionGroupIds>;
}

/**
 * create_alert_factory.ts `PublicAlertFactory`. `create` throws "Rule reported
 * more than N alerts." past the limit (alerting.rules.run.alerts.max, default
 * 1000); an executor that asked `alertLimit.getValue()` must report
 * `alertLimit.setLimitReached(…)` or the run fails (checkLimitUsage).
 */
export interface PublicAlertFactory<State extends AlertInstanceState, Context extends AlertInstanceContext, ActionGroupIds extends string> {
  create(id: string): PublicAlert<State, Context, ActionGroupIds>;
  alertLimit: {
    getValue(): number;
    setLimitReached(reached: boolean): void;
  };
}

export interface RuleExecutorServices<
  State extends AlertInstanceState,
  Context extends AlertInstanceContext,
  ActionGroupIds extends string,
> {
  /**
   * `PublicAlertsClient | null`: null for rule types that register no `alerts`
   * (alerts-as-data) context — the LegacyAlertsClient's `client()` — which is
   * this plugin's case, so it uses `alertFactory`.
   */
  alertsClient: null;
  /** Deprecated in favour of alertsClient, but the one API for rule types without alerts-as-data. */
  alertFactory: PublicAlertFactory<State, Context, ActionGroupIds>;
  scopedClusterClient: IScopedClusterClient;
}

export interface RuleExecutorOptions<
  Params extends RuleTypeParams,
  State extends RuleTypeState,
  InstanceState extends AlertInstanceState,
  InstanceContext extends AlertInstanceContext,
  ActionGroupIds extends string,
> {
  logger: Logger;
  params: Params;
  services: RuleExecutorServices<InstanceState, InstanceContext, ActionGroupIds>;
  startedAt: Date;
  state: State;
}

/** `RuleTypeParamsValidator`: validate returns the normalised params or throws (message shown in the Rules UI). */
export interface RuleTypeParamsValidator<Params extends RuleTypeParams> {
  validate: (object: Partial<Params>) => Params;
}

/**
 * `RuleType<Params, ExtractedParams, State, InstanceState, InstanceContext,
 * ActionGroupIds, RecoveryActionGroupId, AlertData>` — Kibana's parameter
 * order. Other optional members the plugin does not set (schemas,
 * recoveryActionGroup, ruleTaskTimeout, alerts, ...) are not declared.
 */
export interface RuleType<
  Params extends RuleTypeParams = never,
  ExtractedParams extends RuleTypeParams = never,
  State extends RuleTypeState = never,
  InstanceState extends AlertInstanceState = never,
  InstanceContext extends AlertInstanceContext = never,
  ActionGroupIds extends string = never,
> {
  id: string;
  name: string;
  validate: { params: RuleTypeParamsValidator<Params> };
  actionGroups: Array<ActionGroup<ActionGroupIds>>;
  defaultActionGroupId: ActionGroupIds;
  executor: (options: RuleExecutorOptions<Params, State, InstanceState, InstanceContext, ActionGroupIds>) => Promise<{ state: State }>;
  category: string;
  producer: string;
  solution: RuleTypeSolution;
  actionVariables?: { context?: ActionVariable[]; state?: ActionVariable[]; params?: ActionVariable[] };
  minimumLicenseRequired: LicenseType;
  isExportable: boolean;
  defaultScheduleInterval?: string;
  /** Moves saved-object ids out of params into references (unused here: Mitra params name no saved objects). */
  useSavedObjectReferences?: {
    extractReferences: (params: Params) => { params: ExtractedParams; references: SavedObjectReference[] };
    injectReferences: (params: ExtractedParams, references: SavedObjectReference[]) => Params;
  };
}

/** src/core/packages/saved-objects/common: a reference from one saved object to another. */
export interface SavedObjectReference {
  name: string;
  type: string;
  id: string;
}

/** plugin.ts `AlertingServerSetup.registerType`. */
export interface AlertingServerSetup {
  registerType<
    Params extends RuleTypeParams,
    ExtractedParams extends RuleTypeParams,
    State extends RuleTypeState,
    InstanceState extends AlertInstanceState,
    InstanceContext extends AlertInstanceContext,
    ActionGroupIds extends string,
  >(
    ruleType: RuleType<Params, ExtractedParams, State, InstanceState, InstanceContext, ActionGroupIds>,
  ): void;
}

// ---------------------------------------------------------------------------
// Features — x-pack/platform/plugins/shared/features/common/kibana_feature.ts (25d6d3a),
//   feature_kibana_privileges.ts (1064da9), alerting_kibana_privilege.ts (74bf8ac);
//   src/core/packages/application/common (AppCategory)
// ---------------------------------------------------------------------------

/** Since 8.18: which rule types, and which consumers of them, a feature (privilege) covers. */
export type AlertingKibanaPrivilege = ReadonlyArray<{ ruleTypeId: string; consumers: readonly string[] }>;

export interface AppCategory {
  id: string;
  label: string;
  euiIconType?: string;
  order?: number;
}

export interface FeatureKibanaPrivileges {
  api?: readonly string[];
  app?: readonly string[];
  catalogue?: readonly string[];
  alerting?: {
    rule?: { all?: AlertingKibanaPrivilege; read?: AlertingKibanaPrivilege };
    alert?: { all?: AlertingKibanaPrivilege; read?: AlertingKibanaPrivilege };
  };
  savedObject: { all: readonly string[]; read: readonly string[] };
  ui: readonly string[];
}

export interface KibanaFeatureConfig {
  id: string;
  name: string;
  category: AppCategory;
  app: readonly string[];
  catalogue?: readonly string[];
  alerting?: AlertingKibanaPrivilege;
  privileges: { all: FeatureKibanaPrivileges; read: FeatureKibanaPrivileges } | null;
}

/** server/plugin.ts `FeaturesPluginSetup.registerKibanaFeature`. */
export interface FeaturesPluginSetup {
  registerKibanaFeature(feature: KibanaFeatureConfig): void;
}

// ---------------------------------------------------------------------------
// Task Manager — x-pack/platform/plugins/shared/task_manager/server/
//   plugin.ts (07670c1: TaskManagerSetupContract.registerTaskDefinitions, TaskManagerStartContract.ensureScheduled),
//   task_type_dictionary.ts (030f13c: TaskRegisterDefinition, TaskDefinitionRegistry, registerTaskDefinitions' checks),
//   task.ts (020a425: RunContext, ConcreteTaskInstance, TaskInstanceWithId, SuccessfulRunResult, CancellableTask,
//   taskDefinitionSchema), task_scheduling.ts (0086c4b: ensureScheduled),
//   IntervalSchedule from @kbn/response-ops-scheduling-types (re-exported by task.ts)
// ---------------------------------------------------------------------------

/** `{ interval: '1h' }`: a recurring task's interval (`{number}{s|m|h|d}`). Task.ts also accepts an RruleSchedule — not used. */
export interface IntervalSchedule {
  interval: string;
}

/**
 * `TaskInstance` (task.ts). Also scheduledAt, runAt, scope, enabled, apiKey,
 * priority, cost, ... — not used. `params` and `state` are `Record<string, any>` in Kibana.
 */
export interface TaskInstance {
  id?: string;
  taskType: string;
  schedule?: IntervalSchedule;
  params: Record<string, unknown>;
  state: Record<string, unknown>;
}

/** `Require<TaskInstance, 'id'>`: what ensureScheduled takes and returns. */
export type TaskInstanceWithId = TaskInstance & { id: string };

/** `ConcreteTaskInstance`: the stored instance a run sees (also version, status, attempts, scheduledAt, ... — not used). */
export interface ConcreteTaskInstance extends TaskInstance {
  id: string;
}

/** `RunContext`: the run function's sole argument (also fakeRequest?, signal, executionUuid, ... — not used). */
export interface RunContext {
  taskInstance: ConcreteTaskInstance;
}

/**
 * `SuccessfulRunResult`: `state` is handed to the next run of a recurring
 * task; a run that throws is logged by Task Manager and retried at the next
 * interval (`runAt`/`schedule` overrides and `shouldDeleteTask` — not used).
 */
export interface SuccessfulRunResult {
  state: Record<string, unknown>;
}

/** `CancellableTask`: `run` does the work (`cancel` on timeout, optional — not used). */
export interface CancellableTask {
  run: () => Promise<SuccessfulRunResult | undefined | void>;
}

export type TaskRunCreatorFunction = (context: RunContext) => CancellableTask;

/**
 * `TaskRegisterDefinition` (task_type_dictionary.ts), validated by
 * `taskDefinitionSchema` (task.ts): `timeout` must be `{number}{cadence}`
 * (default '5m'), `maxAttempts` >= 1; also priority, cost, maxConcurrency
 * (allow-listed task types only), stateSchemaByVersion, paramsSchema — not used.
 */
export interface TaskRegisterDefinition {
  title?: string;
  description?: string;
  timeout?: string;
  maxAttempts?: number;
  createTaskRunner: TaskRunCreatorFunction;
}

/** A mapping of task type id to its definition. */
export type TaskDefinitionRegistry = Record<string, TaskRegisterDefinition>;

/**
 * plugin.ts `TaskManagerSetupContract.registerTaskDefinitions`: throws
 * "Task <type> is already defined!" for a type registered twice (also index,
 * addMiddleware, registerCanEncryptedSavedObjects, registerTaskEventLogger — not used).
 */
export interface TaskManagerSetupContract {
  registerTaskDefinitions: (taskDefinitions: TaskDefinitionRegistry) => void;
}

/**
 * plugin.ts `TaskManagerStartContract` = Pick<TaskScheduling, 'ensureScheduled' | ...> & ...:
 * `ensureScheduled` schedules a task under a fixed id, and when one with that
 * id exists (409) keeps it, updating only its interval schedule. Scheduling a
 * type nobody registered throws `Unsupported task type "<type>"` (TaskStore,
 * TaskTypeDictionary.ensureHas). Its second parameter, `options?: ScheduleOptions`
 * (an API key request), and schedule, runSoon, fetch, remove, ... — not used.
 */
export interface TaskManagerStartContract {
  ensureScheduled: (taskInstance: TaskInstanceWithId) => Promise<TaskInstanceWithId>;
}
