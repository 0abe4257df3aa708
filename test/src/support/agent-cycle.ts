import { hostDocument, toWireDoc, type Snapshot } from '@mitra/beats';

/** One host's latest full agent cycle, and what else its current state still holds (paths its agent no longer sends). */
export interface AgentCycle {
  name: string;
  sent: Snapshot[];
  left?: Snapshot[];
}

/** A snapshot of a present file (or virtual path), as a collector makes it. */
export const present = (path: string, content: string, format?: string): Snapshot => ({
  path,
  state: 'present',
  content,
  ...(format ? { format } : {}),
});

/** The current documents the agent sends for the cycle (its own toWireDoc): its snapshots, its host document, every one stamped. */
export function agentCycleDocs(host: AgentCycle, timestamp: string): object[] {
  const ctx = { host: { name: host.name }, timestamp, tags: [], agentVersion: '0.1.0' };
  return [...host.sent, hostDocument(host.sent), ...(host.left ?? [])].map((s) => toWireDoc(s, ctx, 'current'));
}
