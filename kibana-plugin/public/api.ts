import { API_BASE } from '../common';

export type QueryParams = Record<string, string | number | undefined>;

/** An answer other than 2xx, with the server's one-line message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * How the app talks to the Mitra routes: the same paths under /api/mitra in
 * Kibana (through core.http, which adds the base path, auth and XSRF) and in
 * `mitra serve` (plain fetch).
 */
export interface MitraApi {
  get<T>(path: string, query?: QueryParams): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
}

const withQuery = (path: string, query: QueryParams = {}) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
};

/** The API over window.fetch, for the standalone app served by `mitra serve`. */
export function fetchApi(origin = '', fetchImpl: typeof fetch = (...args) => fetch(...args)): MitraApi {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetchImpl(`${origin}${API_BASE}${path}`, {
        method,
        // mitra serve, like Kibana, takes changes only with kbn-xsrf and a JSON content type (a web page cannot send either cross-site).
        headers: method === 'GET' ? {} : { 'kbn-xsrf': 'mitra', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, `the Mitra server is unreachable (${(e as Error).message}): is mitra serve running?`);
    }
    const text = await res.text();
    const json = text ? safeJson(text) : undefined;
    if (!res.ok) throw new ApiError(res.status, messageOf(json) ?? `${method} ${path} answered ${res.status}`);
    return json as T;
  };
  return {
    get: (path, query) => call('GET', withQuery(path, query)),
    post: (path, body) => call('POST', path, body ?? {}),
    put: (path, body) => call('PUT', path, body),
    delete: (path) => call('DELETE', path),
  };
}

/** The slice of Kibana's public `core.http` the app uses. */
export interface KibanaHttp {
  fetch<T>(path: string, options: { method: string; query?: Record<string, string>; body?: string }): Promise<T>;
}

/** The API over Kibana's core.http: errors carry `body.message` there. */
export function kibanaApi(http: KibanaHttp): MitraApi {
  const call = async <T>(method: string, path: string, options: { query?: QueryParams; body?: unknown } = {}): Promise<T> => {
    const query = Object.fromEntries(
      Object.entries(options.query ?? {})
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => [k, String(v)]),
    );
    try {
      return await http.fetch<T>(`${API_BASE}${path}`, {
        method,
        query,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (e) {
      const err = e as { body?: unknown; response?: { status?: number }; message?: string };
      throw new ApiError(err.response?.status ?? 0, messageOf(err.body) ?? err.message ?? 'request failed');
    }
  };
  return {
    get: (path, query) => call('GET', path, { query }),
    post: (path, body) => call('POST', path, { body: body ?? {} }),
    put: (path, body) => call('PUT', path, { body }),
    delete: (path) => call('DELETE', path),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}

function messageOf(body: unknown): string | undefined {
  const m = (body as { message?: unknown } | undefined)?.message;
  return typeof m === 'string' ? m : undefined;
}
