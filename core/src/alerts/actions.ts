import type { AlertAction, AlertCondition } from './rules';

/**
 * The JSON body POSTed to a webhook (documented in core/README.md):
 * rule, state firing|recovered, hosts, count, evaluated_at, query, condition.
 */
export interface AlertNotification {
  rule: string;
  state: 'firing' | 'recovered';
  hosts: string[];
  count: number;
  evaluated_at: string;
  /** What ran: the saved search and its substituted params, or the inline query. */
  query: { search?: string; kind?: string; params?: Record<string, unknown> } | null;
  condition: AlertCondition;
}

export interface ActionResult {
  type: AlertAction['type'];
  ok: boolean;
  attempts: number;
  error?: string;
}

export interface DeliveryOptions {
  /** Attempts per webhook (default 3). */
  tries?: number;
  /** First retry delay; doubles after each failure (default 1000 ms). */
  backoffMs?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export async function runActions(actions: AlertAction[], n: AlertNotification, opts: DeliveryOptions): Promise<ActionResult[]> {
  const log = opts.log ?? (() => {});
  const results: ActionResult[] = [];
  for (const action of actions) {
    if (action.type === 'log') {
      log(describeNotification(n));
      results.push({ type: 'log', ok: true, attempts: 1 });
    } else {
      const r = await postWithRetry(action.url, n, opts);
      if (!r.ok) log(`alert ${n.rule}: webhook ${action.url} failed after ${r.attempts} attempts: ${r.error}`);
      results.push(r);
    }
  }
  return results;
}

export function describeNotification(n: AlertNotification): string {
  const shown = n.hosts.slice(0, 10).join(', ') + (n.hosts.length > 10 ? `, ... (${n.hosts.length - 10} more)` : '');
  return `alert ${n.rule} ${n.state} at ${n.evaluated_at}: count ${n.count}, ${n.hosts.length} host(s)${shown ? `: ${shown}` : ''}`;
}

/** POSTs the notification; a network error or a non-2xx answer is retried with exponential backoff. */
export async function postWithRetry(url: string, body: AlertNotification, opts: DeliveryOptions): Promise<ActionResult> {
  const tries = opts.tries ?? 3;
  let delay = opts.backoffMs ?? 1000;
  let error = '';
  for (let attempt = 1; attempt <= tries; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer();
      if (res.ok) return { type: 'webhook', ok: true, attempts: attempt };
      error = `HTTP ${res.status}`;
    } catch (e) {
      error = String((e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message);
    }
    if (attempt < tries) {
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }
  return { type: 'webhook', ok: false, attempts: tries, error };
}
