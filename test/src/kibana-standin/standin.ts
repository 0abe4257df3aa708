import type {
  AlertingKibanaPrivilege,
  AlertingServerSetup,
  CoreSetup,
  CoreStart,
  CustomHttpResponseOptions,
  ElasticsearchClient,
  ErrorHttpResponseOptions,
  FeaturesPluginSetup,
  HttpResponseOptions,
  IKibanaResponse,
  IRouter,
  IScopedClusterClient,
  KibanaFeatureConfig,
  KibanaRequest,
  KibanaResponseFactory,
  Logger,
  PluginConfigDescriptor,
  PluginInitializer,
  PluginInitializerContext,
  PublicAlert,
  PublicAlertFactory,
  RequestHandler,
  RequestHandlerContext,
  ResponseError,
  RouteConfig,
  RouteMethod,
  RouteValidationError,
  RouteValidationResultFactory,
  RuleExecutorServices,
  RuleType,
  RunContext,
  TaskInstanceWithId,
  TaskManagerSetupContract,
  TaskManagerStartContract,
  TaskRegisterDefinition,
} from '../../../kibana-plugin/kibana_api/server';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A STAND-IN for the parts of Kibana 9.2 the Mitra server plugin talks to —
 * not Kibana. Every object it hands the plugin is typed against exactly the
 * declarations in kibana-plugin/kibana_api/server.ts (object literals with
 * `satisfies`, so a member Kibana lacks does not compile) and checked again at
 * run time against the declared member names (`DECLARED`, `onlyDeclared`), so
 * it cannot offer the plugin anything Kibana would not. Behaviour follows
 * Kibana's source, as named in server.ts: the router's registration checks,
 * per-part validation functions (a failure is 400 `[request <part>]: …`, a
 * throwing handler a bare 500), internal routes refused without
 * `x-elastic-internal-origin`, the response factory and the error body
 * `{statusCode, error, message, attributes}`, the plugin config validated
 * before construction, the alerting registry's checks and the alert factory's
 * limit, the features registry's 9.x alerting form, and Task Manager's
 * registry and ensureScheduled with one run of a task as its runner does it.
 * The real engine answers every Elasticsearch call.
 */

// ---- declared member names, as values: the compiler rejects a list that misses or invents one ----

type Missing<T, K extends readonly PropertyKey[]> = Exclude<keyof T, K[number]>;
const keysOf =
  <T>() =>
  <const K extends readonly (keyof T)[]>(keys: K & ([Missing<T, K>] extends [never] ? unknown : { missing: Missing<T, K> })): K =>
    keys;

export const DECLARED = {
  responseFactory: keysOf<KibanaResponseFactory>()(['ok', 'custom', 'badRequest', 'notFound', 'customError']),
  router: keysOf<IRouter>()(['get', 'post', 'put', 'delete']),
  request: keysOf<KibanaRequest>()(['params', 'query', 'body']),
  context: keysOf<RequestHandlerContext>()(['core']),
  scopedClusterClient: keysOf<IScopedClusterClient>()(['asCurrentUser']),
  initializerContext: keysOf<PluginInitializerContext>()(['logger', 'config']),
  coreSetup: keysOf<CoreSetup>()(['http']),
  coreStart: keysOf<CoreStart>()(['elasticsearch']),
  taskManagerSetup: keysOf<TaskManagerSetupContract>()(['registerTaskDefinitions']),
  taskManagerStart: keysOf<TaskManagerStartContract>()(['ensureScheduled']),
  runContext: keysOf<RunContext>()(['taskInstance']),
  logger: keysOf<Logger>()(['debug', 'info', 'warn', 'error']),
  alerting: keysOf<AlertingServerSetup>()(['registerType']),
  features: keysOf<FeaturesPluginSetup>()(['registerKibanaFeature']),
  services: keysOf<RuleExecutorServices<never, never, string>>()(['alertsClient', 'alertFactory', 'scopedClusterClient']),
  alertFactory: keysOf<PublicAlertFactory<never, never, string>>()(['create', 'alertLimit']),
  alertLimit: keysOf<PublicAlertFactory<never, never, string>['alertLimit']>()(['getValue', 'setLimitReached']),
  alert: keysOf<PublicAlert<never, never, string>>()(['scheduleActions', 'replaceState']),
} as const;

/** Throws when `obj` has an own member the declaration does not name, or lacks one it does. */
export function onlyDeclared(what: string, obj: object, declared: readonly PropertyKey[]): void {
  const own = Object.keys(obj);
  const extra = own.filter((k) => !declared.includes(k));
  const missing = declared.filter((k) => !own.includes(String(k)));
  if (extra.length || missing.length) {
    throw new Error(`stand-in ${what} differs from kibana_api/server.ts: extra [${extra.join(', ')}], missing [${missing.join(', ')}]`);
  }
}

// ---- HTTP: responses (response.ts) and how Kibana's HTTP layer writes them (response_adapter.ts) ----

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

class KibanaResponse<T = unknown> implements IKibanaResponse<T> {
  constructor(
    readonly status: number,
    readonly payload?: T,
    readonly options: HttpResponseOptions<T> = {},
  ) {}
}

const errorResponse =
  (status: number, fallback: string) =>
  (options: ErrorHttpResponseOptions = {}) =>
    new KibanaResponse<ResponseError>(status, options.body || fallback, options);

export const responseFactory = {
  ok: <T>(options: HttpResponseOptions<T> = {}) => new KibanaResponse<T>(200, options.body, options),
  custom: <T>(options: CustomHttpResponseOptions<T>) => {
    if (!options || !options.statusCode) throw new Error(`options.statusCode is expected to be set. given options: ${options?.statusCode}`);
    const { statusCode, body, ...rest } = options;
    return new KibanaResponse<T>(statusCode, body, rest);
  },
  badRequest: errorResponse(400, 'Bad Request'),
  notFound: errorResponse(404, 'Not Found'),
  customError: (options: CustomHttpResponseOptions<ResponseError>) => {
    if (!options || !options.statusCode) throw new Error(`options.statusCode is expected to be set. given options: ${options?.statusCode}`);
    if (options.statusCode < 400 || options.statusCode >= 600) {
      throw new Error(`Unexpected Http status code. Expected from 400 to 599, but given: ${options.statusCode}`);
    }
    return new KibanaResponse<ResponseError>(options.statusCode, options.body, options);
  },
} satisfies KibanaResponseFactory;
onlyDeclared('response factory', responseFactory, DECLARED.responseFactory);
// The compiler's half of the check, kept as proof it bites: a member Kibana lacks does not compile.
// @ts-expect-error `created` is not in KibanaResponseFactory as declared
void ({ ...responseFactory, created: responseFactory.ok } satisfies KibanaResponseFactory);

/** Kibana's error body: `{statusCode, error, message, attributes?}`. */
export function errorBody(statusCode: number, body: unknown) {
  const b =
    typeof body === 'string'
      ? { message: body }
      : body instanceof Error
        ? { message: body.message }
        : ((body ?? {}) as { message?: unknown; attributes?: unknown });
  const message = b.message instanceof Error ? b.message.message : String(b.message ?? REASONS[statusCode] ?? 'Error');
  return { statusCode, error: REASONS[statusCode] ?? 'Error', message, ...(b.attributes ? { attributes: b.attributes } : {}) };
}

// ---- HTTP: the router (router.ts, route.ts, validator.ts) ----

type Part = 'params' | 'query' | 'body';
type AnyRouteConfig = RouteConfig<unknown, unknown, unknown, RouteMethod>;
type AnyHandler = RequestHandler<unknown, unknown, unknown>;

export interface RegisteredRoute {
  method: 'get' | 'post' | 'put' | 'delete';
  config: AnyRouteConfig;
  handler: AnyHandler;
}

export interface StandinResponse {
  status: number;
  body: unknown;
}

const INTERNAL_ORIGIN = 'x-elastic-internal-origin';
/** ELASTIC_INTERNAL_ORIGIN_QUERY_PARAM, src/core/packages/http/common/src/constants.ts. */
const INTERNAL_ORIGIN_QUERY_PARAM = 'elasticInternalOrigin';
/** The Kibana this plugin is built for (kibana.json), which its browser code names in kbn-version. */
const KIBANA_VERSION: string = JSON.parse(readFileSync(join(__dirname, '../../../kibana-plugin/kibana.json'), 'utf8')).kibanaVersion;
/**
 * What Kibana's own browser code sends on every request: kbn-version (src/core/packages/http/browser-internal/src/fetch.ts,
 * createRequest) and the internal origin (core's http service).
 */
export const KIBANA_BROWSER_HEADERS = { [INTERNAL_ORIGIN]: 'Kibana', 'kbn-version': KIBANA_VERSION };
const SAFE_METHODS = ['get', 'head', 'options'];

const validationResult = (part: Part): RouteValidationResultFactory => ({
  ok: (value) => ({ value }),
  badRequest: (error, path = []) => {
    const e = new Error(`[request ${[part, ...path].join('.')}]: ${typeof error === 'string' ? error : error.message}`) as Error & {
      path: string[];
    };
    e.path = path;
    return { error: e as RouteValidationError };
  },
});

/** The router a plugin gets from `core.http.createRouter()`, plus a way to send it requests. */
export function standinRouter(client: ElasticsearchClient) {
  const routes: RegisteredRoute[] = [];
  const register =
    (method: RegisteredRoute['method']) =>
    <P, Q, B>(config: RouteConfig<P, Q, B, typeof method>, handler: RequestHandler<P, Q, B>): void => {
      if (!config.path.startsWith('/')) throw new Error(`Expected route path to start with a slash, but got ${config.path}`);
      if (config.validate === undefined) throw new Error(`The [${method}] at [${config.path}] does not have a 'validate' specified`);
      if ((method === 'get' || method === 'delete') && config.validate && config.validate.body) {
        throw new Error(`[${method}] ${config.path}: body validation is only allowed on routes that take a body`);
      }
      if (!config.security?.authz) throw new Error(`[${method}] ${config.path}: security.authz must be declared (Kibana 9)`);
      if (routes.some((r) => r.method === method && r.config.path === config.path))
        throw new Error(`duplicate route [${method}] ${config.path}`);
      routes.push({ method, config: config as AnyRouteConfig, handler: handler as AnyHandler });
    };
  const router = {
    get: register('get'),
    post: register('post'),
    put: register('put'),
    delete: register('delete'),
  } satisfies IRouter;
  onlyDeclared('router', router, DECLARED.router);

  const match = (method: string, pathname: string) => {
    const segments = pathname.split('/');
    for (const route of routes.filter((r) => r.method === method)) {
      const pattern = route.config.path.split('/');
      if (pattern.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const ok = pattern.every((p, i) => {
        const name = /^\{(\w+)\}$/.exec(p)?.[1];
        if (name) params[name] = decodeURIComponent(segments[i]);
        return name !== undefined || p === segments[i];
      });
      if (ok) return { route, params };
    }
    return undefined;
  };

  /** One HTTP request through routing, the internal-origin check, validation and the handler, as Kibana's HTTP server does it. */
  async function request(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = KIBANA_BROWSER_HEADERS,
  ): Promise<StandinResponse> {
    const parsed = new URL(url, 'http://kibana.invalid');
    const found = match(method.toLowerCase(), parsed.pathname);
    if (!found) return { status: 404, body: errorBody(404, 'Not Found') };
    const { route, params } = found;
    // src/core/packages/http/server-internal/src/lifecycle_handlers.ts: createXsrfPostAuthHandler (a change needs
    // kbn-xsrf or kbn-version, unless the route sets xsrfRequired: false), then createVersionCheckPostAuthHandler.
    const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
    if (!SAFE_METHODS.includes(route.method) && route.config.options?.xsrfRequired !== false && !has('kbn-xsrf') && !has('kbn-version'))
      return { status: 400, body: errorBody(400, 'Request must contain a kbn-xsrf header.') };
    const version = Object.entries(headers).find(([h]) => h.toLowerCase() === 'kbn-version')?.[1];
    if (version && version !== KIBANA_VERSION) {
      const message = `Browser client is out of date, please refresh the page ("kbn-version" header was "${version}" but should be "${KIBANA_VERSION}")`;
      return { status: 400, body: errorBody(400, message) };
    }
    // isInternalApiRequest: the header, or the elasticInternalOrigin query parameter unless it is 'false'
    // (src/core/packages/http/router-server-internal/src/request.ts; refused in
    // src/core/packages/http/server-internal/src/lifecycle_handlers.ts, createRestrictInternalRoutesPostAuthHandler).
    const internalOrigin =
      parsed.searchParams.get(INTERNAL_ORIGIN_QUERY_PARAM) === 'false'
        ? false
        : INTERNAL_ORIGIN in headers || parsed.searchParams.has(INTERNAL_ORIGIN_QUERY_PARAM);
    if ((route.config.options?.access ?? 'internal') === 'internal' && !internalOrigin) {
      const message = `uri [${parsed.pathname}] with method [${route.method}] exists but is not available with the current configuration`;
      return { status: 400, body: errorBody(400, message) };
    }
    // hapi builds request.query on Object.create(null), a repeated name becoming [].concat(first, next)
    // (hapijs/hapi lib/request.js, _parseQuery); Kibana drops elasticInternalOrigin and copies the rest into a
    // plain object (src/core/packages/http/router-server-internal/src/request.ts, sanitizeRequest), so `__proto__`
    // or `constructor` reach validation as ordinary parameters.
    const hapiQuery: Record<string, string | string[]> = Object.create(null);
    for (const [k, v] of parsed.searchParams) {
      const entry = hapiQuery[k];
      hapiQuery[k] = entry !== undefined ? ([] as string[]).concat(entry, v) : v;
    }
    const query = Object.fromEntries(Object.entries(hapiQuery).filter(([k]) => k !== INTERNAL_ORIGIN_QUERY_PARAM));
    const raw: Record<Part, unknown> = { params, query, body };
    const validated: Record<Part, unknown> = { params: {}, query: {}, body: {} };
    for (const part of ['params', 'query', 'body'] as const) {
      const fn = route.config.validate ? route.config.validate[part] : undefined;
      if (!fn) continue; // Kibana hands an unvalidated part to the handler as {}.
      // A validation function that throws is a 400 like one that answers badRequest
      // (src/core/packages/http/router-server-internal/src/validator.ts, validateFunction).
      let result: ReturnType<typeof fn>;
      try {
        result = fn(raw[part], validationResult(part));
      } catch (e) {
        result = validationResult(part).badRequest(e instanceof Error ? e : String(e));
      }
      if (result.error) return { status: 400, body: errorBody(400, result.error.message) };
      validated[part] = result.value;
    }
    const scoped = { asCurrentUser: client } satisfies IScopedClusterClient;
    const context = { core: Promise.resolve({ elasticsearch: { client: scoped } }) } satisfies RequestHandlerContext;
    const kibanaRequest = { params: validated.params, query: validated.query, body: validated.body } satisfies KibanaRequest;
    onlyDeclared('request handler context', context, DECLARED.context);
    onlyDeclared('request', kibanaRequest, DECLARED.request);
    try {
      const res = await route.handler(context, kibanaRequest, responseFactory);
      return { status: res.status, body: res.status >= 400 ? errorBody(res.status, res.payload) : res.payload };
    } catch {
      return { status: 500, body: errorBody(500, 'An internal server error occurred.') };
    }
  }

  return { router, routes, request };
}

// ---- Alerting (plugin.ts registerType, rule_type_registry.ts, create_alert_factory.ts) ----

type AnyRuleType = RuleType<Record<string, unknown>, never, Record<string, unknown>, never, Record<string, unknown>, string>;

const LICENSE_TYPES = ['basic', 'standard', 'gold', 'platinum', 'enterprise', 'trial'];
const SOLUTIONS = ['stack', 'observability', 'security'];
const RULE_TYPE_ID = /^[a-zA-Z0-9_\-.]*$/;
/** The members Kibana 9.2's RuleType requires (TypeScript enforces them in Kibana; plain JS would get through). */
export const REQUIRED_RULE_TYPE_FIELDS = [
  'id',
  'name',
  'validate',
  'actionGroups',
  'defaultActionGroupId',
  'executor',
  'category',
  'producer',
  'solution',
  'minimumLicenseRequired',
  'isExportable',
] as const satisfies readonly (keyof AnyRuleType)[];

export interface RuleRun {
  /** Alert id → action group and context scheduled for it. */
  alerts: Map<string, { group: string; context: Record<string, unknown> }>;
  state: Record<string, unknown>;
  /** What the executor reported through `alertLimit.setLimitReached`. */
  limitReached: boolean;
  warnings: string[];
}

export function standinAlerting(client: ElasticsearchClient) {
  const types = new Map<string, AnyRuleType>();
  const alerting = {
    registerType: (ruleType) => {
      const type = ruleType as unknown as AnyRuleType;
      for (const field of REQUIRED_RULE_TYPE_FIELDS) {
        if ((type as unknown as Record<string, unknown>)[field] === undefined)
          throw new Error(`Rule type "${type.id}" is missing ${field}`);
      }
      if (!LICENSE_TYPES.includes(type.minimumLicenseRequired))
        throw new Error(`"${type.minimumLicenseRequired}" is not a valid license type`);
      if (types.has(type.id)) throw new Error(`Rule type "${type.id}" is already registered.`);
      if (!RULE_TYPE_ID.test(type.id)) throw new Error(`expected RuleType Id not to include invalid characters: ${type.id}`);
      if (typeof type.validate?.params?.validate !== 'function')
        throw new Error(`Rule type "${type.id}" must provide validate.params.validate`);
      if (type.actionGroups.some((g) => g.id === 'recovered')) {
        throw new Error(`Rule type [id="${type.id}"] cannot be registered. Action groups [recovered] are reserved by the framework.`);
      }
      if (!type.actionGroups.some((g) => g.id === type.defaultActionGroupId)) {
        throw new Error(`Rule type "${type.id}": defaultActionGroupId is not one of its actionGroups`);
      }
      if (!SOLUTIONS.includes(type.solution)) throw new Error(`Rule type "${type.id}": unknown solution "${type.solution}"`);
      types.set(type.id, type);
    },
  } satisfies AlertingServerSetup;
  onlyDeclared('alerting setup contract', alerting, DECLARED.alerting);

  /** What creating or updating a rule does with its params: 400 "params invalid: …" when the type rejects them. */
  function validateParams(typeId: string, params: unknown): StandinResponse & { params?: unknown } {
    const type = types.get(typeId);
    if (!type) return { status: 400, body: errorBody(400, `Rule type "${typeId}" is not registered.`) };
    try {
      return { status: 200, body: null, params: type.validate.params.validate(params as never) };
    } catch (e) {
      return { status: 400, body: errorBody(400, `params invalid: ${(e as Error).message}`) };
    }
  }

  /** One scheduled execution, as the task runner does it: validated params in, alerts and the next state out. */
  async function run(
    typeId: string,
    params: unknown,
    opts: { state?: Record<string, unknown>; maxAlerts?: number } = {},
  ): Promise<RuleRun> {
    const type = types.get(typeId)!;
    const maxAlerts = opts.maxAlerts ?? 1000; // alerting.rules.run.alerts.max default
    const alerts: RuleRun['alerts'] = new Map();
    let created = 0;
    let requestedLimit = false;
    let reportedLimit: boolean | undefined;
    const createAlert = (id: string) => {
      const alert: PublicAlert<never, Record<string, unknown>, string> = {
        scheduleActions: (group: string, context: Record<string, unknown> = {}) => {
          if (!type.actionGroups.some((g) => g.id === group)) throw new Error(`Invalid action group "${group}" for rule type "${typeId}"`);
          alerts.set(id, { group, context });
          return alert;
        },
        replaceState: () => alert,
      };
      onlyDeclared('alert', alert, DECLARED.alert);
      return alert;
    };
    const alertLimit = {
      getValue: () => {
        requestedLimit = true;
        return maxAlerts;
      },
      setLimitReached: (reached: boolean) => {
        reportedLimit = reached;
      },
    } satisfies PublicAlertFactory<never, Record<string, unknown>, string>['alertLimit'];
    const alertFactory = {
      create: (id: string) => {
        if (created++ >= maxAlerts) throw new Error(`Rule reported more than ${maxAlerts} alerts.`);
        return createAlert(id);
      },
      alertLimit,
    } satisfies PublicAlertFactory<never, Record<string, unknown>, string>;
    const services = {
      alertsClient: null,
      alertFactory,
      scopedClusterClient: { asCurrentUser: client },
    } satisfies RuleExecutorServices<never, Record<string, unknown>, string>;
    for (const [what, obj, keys] of [
      ['executor services', services, DECLARED.services],
      ['alert factory', alertFactory, DECLARED.alertFactory],
      ['alert limit', alertLimit, DECLARED.alertLimit],
      ['scoped cluster client', services.scopedClusterClient, DECLARED.scopedClusterClient],
    ] as const) {
      onlyDeclared(what, obj, keys);
    }
    const warnings: string[] = [];
    const result = await type.executor({
      logger: standinLogger(warnings),
      params: type.validate.params.validate(params as never),
      services,
      startedAt: new Date(),
      state: opts.state ?? {},
    });
    // checkLimitUsage: asking for the limit obliges the rule type to say whether it hit it.
    if (requestedLimit && reportedLimit === undefined) {
      throw new Error('Rule has not reported whether alert limit has been reached after requesting limit value!');
    }
    return { alerts, state: result.state, limitReached: reportedLimit ?? false, warnings };
  }

  return { alerting, types, validateParams, run };
}

// ---- Features (features plugin: registerKibanaFeature and its start-time check) ----

export function standinFeatures(ruleTypes: () => ReadonlyMap<string, unknown>) {
  const registered: KibanaFeatureConfig[] = [];
  const isAlertingPrivilege = (v: unknown): v is AlertingKibanaPrivilege =>
    Array.isArray(v) &&
    v.every(
      (e) =>
        typeof e === 'object' &&
        e !== null &&
        typeof e.ruleTypeId === 'string' &&
        Array.isArray(e.consumers) &&
        e.consumers.length > 0 &&
        e.consumers.every((c: unknown) => typeof c === 'string'),
    );
  const features = {
    registerKibanaFeature: (feature) => {
      if (registered.some((f) => f.id === feature.id)) throw new Error(`Feature with id ${feature.id} is already registered.`);
      if (feature.alerting !== undefined && !isAlertingPrivilege(feature.alerting)) {
        throw new Error(`Feature ${feature.id}: alerting must be [{ruleTypeId, consumers}] (the 8.17 list of ids is not accepted)`);
      }
      const granted = new Set((feature.alerting ?? []).flatMap((e) => e.consumers.map((c) => `${e.ruleTypeId}/${c}`)));
      for (const level of ['all', 'read'] as const) {
        const a = feature.privileges?.[level].alerting;
        for (const list of [a?.rule?.all, a?.rule?.read, a?.alert?.all, a?.alert?.read]) {
          if (list === undefined) continue;
          if (!isAlertingPrivilege(list))
            throw new Error(`Feature ${feature.id}: ${level} privilege alerting must be [{ruleTypeId, consumers}]`);
          const unknown = list.flatMap((e) => e.consumers.map((c) => `${e.ruleTypeId}/${c}`)).filter((k) => !granted.has(k));
          if (unknown.length)
            throw new Error(`Feature ${feature.id}: ${level} privilege grants alerting the feature does not list: ${unknown}`);
        }
      }
      registered.push(feature);
    },
  } satisfies FeaturesPluginSetup;
  onlyDeclared('features setup contract', features, DECLARED.features);
  /** Kibana checks this at start, once every plugin had its setup: features may only grant rule types that exist. */
  const unknownRuleTypes = () =>
    registered.flatMap((f) => (f.alerting ?? []).map((e) => e.ruleTypeId)).filter((id) => !ruleTypes().has(id));
  return { features, registered, unknownRuleTypes };
}

// ---- Task Manager (task_type_dictionary.ts registerTaskDefinitions, task_scheduling.ts ensureScheduled, one run) ----

/** lib/intervals.ts isInterval: an integer and a cadence. */
const INTERVAL = /^[0-9]+[smhd]$/;

export function standinTaskManager(logged: string[]) {
  const definitions = new Map<string, TaskRegisterDefinition>();
  const tasks = new Map<string, TaskInstanceWithId>();
  const setup = {
    registerTaskDefinitions: (defs) => {
      const duplicate = Object.keys(defs).find((type) => definitions.has(type));
      if (duplicate) throw new Error(`Task ${duplicate} is already defined!`);
      // sanitizeTaskDefinitions (taskDefinitionSchema): an invalid definition is logged and none of the batch registered.
      const problem = Object.entries(defs)
        .map(([type, d]) => definitionProblem(type, d))
        .find(Boolean);
      if (problem) return void logged.push(`error: Could not sanitize task definitions: ${problem}`);
      for (const [type, d] of Object.entries(defs)) definitions.set(type, d);
    },
  } satisfies TaskManagerSetupContract;
  const start = {
    ensureScheduled: async (instance) => {
      // TaskStore.schedule → TaskTypeDictionary.ensureHas
      if (!definitions.has(instance.taskType)) {
        throw new Error(`Unsupported task type "${instance.taskType}". Supported types are ${[...definitions.keys()].join(', ')}`);
      }
      if (instance.schedule && !INTERVAL.test(instance.schedule.interval))
        throw new Error(`Invalid interval "${instance.schedule.interval}"`);
      const existing = tasks.get(instance.id);
      // 409 on an existing id: only an interval schedule is updated, the stored task (and its state) stays.
      if (existing) {
        if (instance.schedule?.interval) existing.schedule = instance.schedule;
        return instance;
      }
      tasks.set(instance.id, { ...instance, state: { ...instance.state } });
      return instance;
    },
  } satisfies TaskManagerStartContract;
  onlyDeclared('task manager setup contract', setup, DECLARED.taskManagerSetup);
  onlyDeclared('task manager start contract', start, DECLARED.taskManagerStart);

  /** One run of a scheduled task, as TaskManagerRunner does it: the stored instance in, the returned state kept for the next run. */
  async function run(id: string): Promise<Record<string, unknown>> {
    const task = tasks.get(id);
    if (!task) throw new Error(`no task ${id} is scheduled`);
    const context = { taskInstance: { ...task, state: { ...task.state } } } satisfies RunContext;
    onlyDeclared('run context', context, DECLARED.runContext);
    const result = await definitions.get(task.taskType)!.createTaskRunner(context).run();
    task.state = result ? result.state : {};
    return task.state;
  }
  return { setup, start, definitions, tasks, run };
}

function definitionProblem(type: string, d: TaskRegisterDefinition): string | undefined {
  const timeout = d.timeout ?? '5m';
  if (!INTERVAL.test(timeout)) {
    return `Invalid timeout "${timeout}". Timeout must be of the form "{number}{cadance}" where number is an integer. Example: 5m.`;
  }
  if (d.maxAttempts !== undefined && !(d.maxAttempts >= 1)) return `[${type}.maxAttempts]: Value must be equal to or greater than [1].`;
  if (typeof d.createTaskRunner !== 'function') return `[${type}.createTaskRunner]: expected a function`;
  return undefined;
}

// ---- Plugin lifecycle (plugins service: config, initializer, setup, start) ----

export function standinLogger(lines: string[]): Logger {
  const text = (m: unknown) => (typeof m === 'function' ? String(m()) : m instanceof Error ? m.message : String(m));
  const logger = {
    debug: () => {},
    info: (m) => void lines.push(`info: ${text(m)}`),
    warn: (m) => void lines.push(`warn: ${text(m)}`),
    error: (m) => void lines.push(`error: ${text(m)}`),
  } satisfies Logger;
  onlyDeclared('logger', logger, DECLARED.logger);
  return logger;
}

/** What a plugin's server entry exports, as Kibana's plugin loader reads it. */
export interface ServerEntry {
  plugin: PluginInitializer<
    unknown,
    unknown,
    { alerting?: AlertingServerSetup; features?: FeaturesPluginSetup; taskManager?: TaskManagerSetupContract },
    { taskManager?: TaskManagerStartContract }
  >;
  config: PluginConfigDescriptor<{ enabled: boolean; prefix: string; retention: string }>;
}

/**
 * Starts a plugin the way Kibana's plugins service does: validates its
 * kibana.yml slice against the exported config schema (throwing what Kibana
 * would refuse to start with), skips it when `enabled` is false, then
 * initializer → setup(core, plugins) → start(core, plugins).
 */
export async function startPlugin(entry: ServerEntry, client: ElasticsearchClient, kibanaYml: Record<string, unknown>) {
  const config = entry.config.schema.validate(kibanaYml, {}, 'config validation of [mitra]');
  const logged: string[] = [];
  const http = standinRouter(client);
  const alertingPlugin = standinAlerting(client);
  const featuresPlugin = standinFeatures(() => alertingPlugin.types);
  const taskManager = standinTaskManager(logged);
  if (!config.enabled)
    return { enabled: false as const, config, http, alerting: alertingPlugin, features: featuresPlugin, taskManager, logged };
  const initializerContext = {
    logger: { get: () => standinLogger(logged) },
    config: { get: <T>() => config as T },
  } satisfies PluginInitializerContext;
  const core = { http: { createRouter: () => http.router } } satisfies CoreSetup;
  onlyDeclared('initializer context', initializerContext, DECLARED.initializerContext);
  onlyDeclared('core setup', core, DECLARED.coreSetup);
  const instance = await entry.plugin(initializerContext);
  const setup = instance.setup(core, {
    alerting: alertingPlugin.alerting,
    features: featuresPlugin.features,
    taskManager: taskManager.setup,
  });
  // asInternalUser: on this unsecured engine the same client (Kibana's would run as kibana_system).
  const coreStart = { elasticsearch: { client: { asInternalUser: client } } } satisfies CoreStart;
  onlyDeclared('core start', coreStart, DECLARED.coreStart);
  instance.start(coreStart, { taskManager: taskManager.start });
  const unknown = featuresPlugin.unknownRuleTypes();
  if (unknown.length) throw new Error(`features grant rule types nobody registered: ${unknown}`);
  return { enabled: true as const, config, setup, instance, http, alerting: alertingPlugin, features: featuresPlugin, taskManager, logged };
}
