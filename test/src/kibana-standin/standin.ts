import type { Client } from '@elastic/elasticsearch';

/**
 * A STAND-IN for the parts of Kibana 8.17 the Mitra plugin talks to — not
 * Kibana. It reproduces the behaviour the plugin relies on, from Kibana's
 * source: the HTTP router (`{param}` paths; params/query/body validated
 * separately by validation functions `(data, {ok, badRequest})`, an
 * unvalidated part arriving as `{}`, a failed validation answering 400
 * `[request <part>]: <message>`, a throwing handler answering a bare 500),
 * the response factory and Kibana's error body `{statusCode, error, message,
 * attributes}`, the request handler context (`await context.core`) with the
 * request-scoped Elasticsearch client, and the alerting plugin's
 * `registerType` checks, params validation and alert factory. The real
 * engine answers every Elasticsearch call. Its types are declared here on
 * purpose, independently of kibana-plugin/server/kibana-types.ts, so a
 * mismatch between the two shows up as a failing test.
 */

type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';
type Part = 'params' | 'query' | 'body';
type ValidationResult = { value: unknown; error?: undefined } | { value?: undefined; error: Error };
type ValidationFn = (
  data: unknown,
  factory: { ok(v: unknown): ValidationResult; badRequest(e: Error | string, path?: string[]): ValidationResult },
) => ValidationResult;

interface RouteConfig {
  path: string;
  validate: false | Partial<Record<Part, ValidationFn>>;
  security?: { authz: { requiredPrivileges?: string[]; enabled?: false; reason?: string } };
  options?: Record<string, unknown>;
}

interface KibanaResponse {
  status: number;
  payload?: unknown;
  options: { body?: unknown; headers?: Record<string, string> };
}

type Handler = (context: unknown, request: unknown, response: typeof responseFactory) => Promise<KibanaResponse> | KibanaResponse;

export interface RegisteredRoute {
  method: Method;
  config: RouteConfig;
  handler: Handler;
}

export interface StandinResponse {
  status: number;
  body: unknown;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

const errorBody = (statusCode: number, body: unknown) => {
  const b = typeof body === 'string' ? { message: body } : ((body ?? {}) as { message?: string; attributes?: unknown });
  return {
    statusCode,
    error: REASONS[statusCode] ?? 'Error',
    message: b.message ?? REASONS[statusCode],
    ...(b.attributes ? { attributes: b.attributes } : {}),
  };
};

const respond =
  (status: number) =>
  (options: { body?: unknown; headers?: Record<string, string> } = {}) => ({ status, payload: options.body, options });

/** Kibana's response factory: successful bodies pass through, error bodies become {statusCode, error, message}. */
export const responseFactory = {
  ok: respond(200),
  created: respond(201),
  accepted: respond(202),
  noContent: () => ({ status: 204, options: {} }),
  badRequest: (o: { body?: unknown } = {}) => ({ status: 400, payload: errorBody(400, o.body ?? 'Bad Request'), options: o }),
  unauthorized: (o: { body?: unknown } = {}) => ({ status: 401, payload: errorBody(401, o.body ?? 'Unauthorized'), options: o }),
  forbidden: (o: { body?: unknown } = {}) => ({ status: 403, payload: errorBody(403, o.body ?? 'Forbidden'), options: o }),
  notFound: (o: { body?: unknown } = {}) => ({ status: 404, payload: errorBody(404, o.body ?? 'Not Found'), options: o }),
  customError: (o: { statusCode: number; body?: unknown; headers?: Record<string, string> }) => {
    if (!o || o.statusCode < 400) throw new Error(`customError needs a statusCode >= 400, got ${o?.statusCode}`);
    return { status: o.statusCode, payload: errorBody(o.statusCode, o.body), options: o };
  },
};

/** The HTTP router a plugin gets from `core.http.createRouter()`, plus a way to send it requests. */
export class StandinRouter {
  readonly routes: RegisteredRoute[] = [];
  readonly get = this.register('get');
  readonly post = this.register('post');
  readonly put = this.register('put');
  readonly delete = this.register('delete');
  readonly patch = this.register('patch');

  constructor(private readonly client: Client) {}

  private register(method: Method) {
    return (config: RouteConfig, handler: Handler): void => {
      if (!config.path.startsWith('/')) throw new Error(`Expected route path to start with a slash, but got ${config.path}`);
      if (config.validate === undefined) throw new Error(`The [${method}] at [${config.path}] does not have a 'validate' specified`);
      if ((method === 'get' || method === 'delete') && config.validate && config.validate.body) {
        throw new Error(`[${method}] ${config.path}: body validation is only allowed on routes that take a body`);
      }
      if (this.routes.some((r) => r.method === method && r.config.path === config.path))
        throw new Error(`duplicate route [${method}] ${config.path}`);
      this.routes.push({ method, config, handler });
    };
  }

  /** One HTTP request through routing, validation and the handler, as Kibana's HTTP server would do it. */
  async request(method: string, url: string, body?: unknown): Promise<StandinResponse> {
    const parsed = new URL(url, 'http://kibana.invalid');
    const match = this.match(method.toLowerCase() as Method, parsed.pathname);
    if (!match) return { status: 404, body: errorBody(404, 'Not Found') };
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of parsed.searchParams) query[k] = k in query ? ([] as string[]).concat(query[k], v) : v;
    const raw: Record<Part, unknown> = { params: match.params, query, body };
    const validated: Record<Part, unknown> = { params: {}, query: {}, body: {} };
    for (const part of ['params', 'query', 'body'] as const) {
      const fn = match.route.config.validate ? match.route.config.validate[part] : undefined;
      if (!fn) continue; // Kibana hands an unvalidated part to the handler as {}.
      const result = fn(raw[part], {
        ok: (value) => ({ value }),
        badRequest: (e, path = []) => ({
          error: new Error(`[request ${[part, ...path].join('.')}]: ${typeof e === 'string' ? e : e.message}`),
        }),
      });
      if (result.error) return { status: 400, body: errorBody(400, result.error.message) };
      validated[part] = result.value;
    }
    const context = { core: Promise.resolve({ elasticsearch: { client: { asCurrentUser: this.client, asInternalUser: this.client } } }) };
    const request = { ...validated, url: parsed, route: { path: match.route.config.path, method: match.route.method } };
    try {
      const res = await match.route.handler(context, request, responseFactory);
      return { status: res.status, body: res.payload };
    } catch {
      return { status: 500, body: errorBody(500, 'An internal server error occurred.') };
    }
  }

  private match(method: Method, pathname: string): { route: RegisteredRoute; params: Record<string, string> } | undefined {
    const segments = pathname.split('/');
    for (const route of this.routes.filter((r) => r.method === method)) {
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
  }
}

interface RuleTypeDefinition {
  id: string;
  name: string;
  actionGroups: { id: string; name: string }[];
  defaultActionGroupId: string;
  validate?: { params?: { validate(o: unknown): unknown } };
  executor(options: unknown): Promise<{ state: Record<string, unknown> }>;
  producer: string;
  category?: string;
  minimumLicenseRequired: string;
  isExportable: boolean;
}

export interface RuleRun {
  /** Alert id → action group scheduled for it. */
  alerts: Map<string, { group: string; context: Record<string, unknown> }>;
  state: Record<string, unknown>;
}

/** The alerting plugin's setup contract: registerType with Kibana's checks, then create and run rules of a type. */
export class StandinAlerting {
  readonly types = new Map<string, RuleTypeDefinition>();

  constructor(private readonly client: Client) {}

  registerType(type: RuleTypeDefinition): void {
    if (this.types.has(type.id)) throw new Error(`Rule type "${type.id}" is already registered.`);
    if (!type.validate?.params) throw new Error(`Rule type "${type.id}" must provide validate.params`);
    if (type.actionGroups.some((g) => g.id === 'recovered'))
      throw new Error(`Rule type "${type.id}" cannot be registered: action group "recovered" is reserved`);
    if (!type.actionGroups.some((g) => g.id === type.defaultActionGroupId))
      throw new Error(`Rule type "${type.id}": default action group is not one of its actionGroups`);
    if (!['basic', 'gold', 'platinum', 'enterprise', 'trial'].includes(type.minimumLicenseRequired))
      throw new Error(`Rule type "${type.id}": unknown license`);
    if (!type.producer || !type.category) throw new Error(`Rule type "${type.id}" needs a producer and a category`);
    this.types.set(type.id, type);
  }

  /** What creating or updating a rule does with its params: 400 "params invalid: …" when the type rejects them. */
  validateParams(typeId: string, params: unknown): StandinResponse & { params?: unknown } {
    const type = this.types.get(typeId);
    if (!type) return { status: 400, body: errorBody(400, `Rule type "${typeId}" is not registered.`) };
    try {
      return { status: 200, body: null, params: type.validate!.params!.validate(params) };
    } catch (e) {
      return { status: 400, body: errorBody(400, `params invalid: ${(e as Error).message}`) };
    }
  }

  /** One scheduled execution: validated params in, alerts and the next state out. */
  async run(typeId: string, params: unknown, state: Record<string, unknown> = {}): Promise<RuleRun> {
    const type = this.types.get(typeId)!;
    const alerts: RuleRun['alerts'] = new Map();
    const alertFactory = {
      create: (id: string) => {
        const alert = {
          scheduleActions: (group: string, context: Record<string, unknown> = {}) => {
            if (!type.actionGroups.some((g) => g.id === group))
              throw new Error(`Invalid action group "${group}" for rule type "${typeId}"`);
            alerts.set(id, { group, context });
            return alert;
          },
          replaceState: () => alert,
        };
        return alert;
      },
    };
    const services = { scopedClusterClient: { asCurrentUser: this.client, asInternalUser: this.client }, alertFactory };
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    const result = await type.executor({
      executionId: 'standin',
      params: type.validate!.params!.validate(params),
      state,
      services,
      startedAt: new Date(),
      rule: { name: 'standin' },
      logger,
    });
    return { alerts, state: result.state };
  }
}

/** The features plugin: keeps registered features, rejecting duplicates and privileges that name unknown rule types. */
export class StandinFeatures {
  readonly features: { id: string; alerting?: string[]; privileges: unknown }[] = [];
  constructor(private readonly alerting?: StandinAlerting) {}
  registerKibanaFeature(feature: { id: string; alerting?: string[]; privileges: unknown }): void {
    if (this.features.some((f) => f.id === feature.id)) throw new Error(`Feature with id ${feature.id} is already registered.`);
    this.features.push(feature);
  }
  /** Kibana checks this at start, once every plugin had its setup: features may only grant rule types that exist. */
  unknownRuleTypes(): string[] {
    return this.features.flatMap((f) => f.alerting ?? []).filter((id) => !this.alerting?.types.has(id));
  }
}

/** A core setup contract and initializer context good enough to run a plugin's setup. */
export function standinKibana(client: Client) {
  const router = new StandinRouter(client);
  const alerting = new StandinAlerting(client);
  const features = new StandinFeatures(alerting);
  const logged: string[] = [];
  const logger = { debug() {}, info() {}, warn: (m: unknown) => logged.push(String(m)), error: (m: unknown) => logged.push(String(m)) };
  return {
    router,
    alerting,
    features,
    logged,
    initializerContext: { logger: { get: () => logger } },
    core: { http: { createRouter: () => router } },
  };
}
