import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * The engine tooling's own tiny HTTP client (the node is started before any
 * Mitra connection exists): JSON in and out, optional CA and basic auth for
 * the secured flavour. Never throws on an HTTP status; network errors reject.
 */
export interface EngineHttp {
  /** http://127.0.0.1:9200 or https://127.0.0.1:9210 */
  baseUrl: string;
  /** PEM of the CA that signed the node's certificate (https only). */
  ca?: string;
  auth?: { username: string; password: string };
}

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
}

export function requestJson<T = unknown>(
  http: EngineHttp,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 3000,
): Promise<JsonResponse<T>> {
  const url = new URL(path, http.baseUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (http.auth) headers.authorization = `Basic ${Buffer.from(`${http.auth.username}:${http.auth.password}`).toString('base64')}`;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolvePromise, reject) => {
    const req = send(url, { method, headers, ca: http.ca, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: parse(text) as T }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.origin} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
