import { lookup, lookupService } from 'node:dns/promises';
import { hostname } from 'node:os';

export const AGENT_VERSION = '0.1.0';
const FQDN_TIMEOUT_MS = 3000;

export interface HostIdentity {
  name: string;
  fqdn?: string;
}

/**
 * host.name is os.hostname() (no DNS: start-up must not wait on a resolver),
 * or the configured host_name. It is part of every document id, so it must
 * not change when DNS does; the FQDN goes to host.fqdn instead.
 */
export const hostName = (override?: string): string => override ?? hostname();

/**
 * The FQDN via getaddrinfo then getnameinfo, given up after a timeout.
 * Resolves undefined instead of failing: the agent runs without it.
 */
export async function resolveFqdn(name: string, timeoutMs = FQDN_TIMEOUT_MS): Promise<string | undefined> {
  const attempt = (async () => {
    const { address } = await lookup(name);
    const { hostname: fqdn } = await lookupService(address, 0);
    return fqdn.includes('.') ? fqdn : undefined;
  })().catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
