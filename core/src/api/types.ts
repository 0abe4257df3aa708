import type { WebhookPolicy } from '../alerts/webhook';
import type { IndexScope } from '../history/scope';

/** A request as any HTTP host presents it: node:http (mitra serve) or a Kibana route. */
export interface ApiRequest {
  /** Path parameters (`:name` segments), already URL-decoded. */
  params: Record<string, string>;
  /** Query string; a repeated parameter arrives as an array. */
  query: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined. */
  body: unknown;
}

/** What every handler gets: the cluster (the caller's own credentials, when it authenticates with an API key), the index prefix, and where alert webhooks may go. */
export type ApiContext = IndexScope & { webhooks?: WebhookPolicy };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * One endpoint, framework-free so the Kibana plugin server mounts the same
 * objects unchanged: `validate` turns the raw request into typed input (throwing
 * a UsageError that names the parameter → 400), `handler` does the work.
 */
export interface ApiRoute<Input = unknown> {
  method: HttpMethod;
  /** `/api/mitra/...` with `:param` segments. */
  path: string;
  summary: string;
  validate(req: ApiRequest): Input;
  handler(input: Input, ctx: ApiContext): Promise<unknown>;
  /** Status of a successful answer (default 200; 201 for creations). */
  status?: number;
}

/** Keeps each route's Input type checked while the table holds routes of many types. */
export const defineRoute = <Input>(r: ApiRoute<Input>): ApiRoute => r as unknown as ApiRoute;
