import type { AlertAction, AlertCondition } from './rules';
import { DEFAULT_WEBHOOK_POLICY, postJson, WEBHOOK_NOT_DELIVERED, webhookLabel, type WebhookPolicy } from './webhook';

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
  /** Where webhooks may go, and the size and time caps (default: https, public addresses only). */
  webhooks?: WebhookPolicy;
  /** Operator log: gets the real reason a webhook failed, which results and stored events never carry. */
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
      const { result, reason } = await postWithRetry(action.url, n, opts);
      if (!result.ok) log(`alert ${n.rule}: webhook ${webhookLabel(action.url)} failed after ${result.attempts} attempts: ${reason}`);
      results.push(result);
    }
  }
  return results;
}

export function describeNotification(n: AlertNotification): string {
  const shown = n.hosts.slice(0, 10).join(', ') + (n.hosts.length > 10 ? `, ... (${n.hosts.length - 10} more)` : '');
  return `alert ${n.rule} ${n.state} at ${n.evaluated_at}: count ${n.count}, ${n.hosts.length} host(s)${shown ? `: ${shown}` : ''}`;
}

/**
 * POSTs the notification under the webhook policy; any failure (refused by the
 * policy, unreachable, non-2xx, too slow, too large) is retried with
 * exponential backoff, and reported with the one WEBHOOK_NOT_DELIVERED text.
 */
export async function postWithRetry(
  url: string,
  body: AlertNotification,
  opts: DeliveryOptions,
): Promise<{ result: ActionResult; reason?: string }> {
  const tries = opts.tries ?? 3;
  const policy = opts.webhooks ?? DEFAULT_WEBHOOK_POLICY;
  let delay = opts.backoffMs ?? 1000;
  let reason = '';
  for (let attempt = 1; attempt <= tries; attempt++) {
    try {
      await postJson(url, JSON.stringify(body), policy);
      return { result: { type: 'webhook', ok: true, attempts: attempt } };
    } catch (e) {
      reason = (e as Error).message;
    }
    if (attempt < tries) {
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }
  return { result: { type: 'webhook', ok: false, attempts: tries, error: WEBHOOK_NOT_DELIVERED }, reason };
}
