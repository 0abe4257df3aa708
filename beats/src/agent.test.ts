import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from './agent';
import { parseAgentConfig } from './config';
import { Logger, silentLogger } from './log';
import type { ShipOutcome } from './shipper';
import { HOST_DOC_PATH, type WireDoc } from '@mitra/core/dist/base';

/**
 * Collection and delivery on separate chains, without a cluster and without
 * sleeps: the shipper is a stand-in that hangs until the test lets it answer.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Call {
  docs: WireDoc[];
  answer: (o: Partial<ShipOutcome>) => void;
}

function setup(queueBytes: number) {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-agent-unit-'));
  dirs.push(dir);
  const file = join(dir, 'a.conf');
  const calls: Call[] = [];
  const waiting: ((c: Call) => void)[] = [];
  const shipper = {
    ship: (docs: WireDoc[]) =>
      new Promise<ShipOutcome>((resolve) => {
        const call: Call = { docs, answer: (o) => resolve({ shipped: 0, rejected: 0, rejectedDocs: [], unsent: [], ...o }) };
        calls.push(call);
        waiting.shift()?.(call);
      }),
    close: async () => {},
  };
  const nextCall = () => new Promise<Call>((resolve) => waiting.push(resolve));
  const config = parseAgentConfig(
    { files: [file], packages: 'off', sysctl: 'off', host_name: 'h' },
    { env: {}, stateDir: join(dir, 'state') },
  );
  const agent = new Agent(config, { log: silentLogger(), shipper, queueBytes });
  const write = (text: string) => {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  };
  const spooled = () => agent.spool.files().flatMap((f) => agent.spool.read(f.name));
  return { agent, write, calls, nextCall, spooled };
}

describe('agent: collection never waits for shipping', () => {
  it('spools a new change at once while an earlier delivery hangs, and keeps collection order when that one fails too', async () => {
    // Room in memory for one cycle's documents (the file's and the host document's, each current and history: ~4 × 480 bytes), not two.
    const { agent, write, nextCall, spooled } = setup(3000);
    write('v1\n');
    const first = agent.runCycle();
    const call = await nextCall();
    expect(call.docs.map((d) => `${d.file.path === HOST_DOC_PATH ? 'host' : 'file'}:${d.mitra.target}`)).toEqual([
      'file:current',
      'file:history',
      'host:current',
      'host:history',
    ]);
    write('v2\n');
    // Resolves while the first delivery still hangs: reading did not wait. The host document is unchanged: current only.
    expect(await agent.runCycle()).toMatchObject({ changed: 1, spooled: 3, shipped: 0 });
    call.answer({ unsent: call.docs, error: 'cluster away', retryable: true });
    expect(await first).toMatchObject({ changed: 1, spooled: 4, error: 'cluster away' });
    // The first batch was spooled last but was collected first: it sorts first.
    const files = spooled().filter((d) => d.file.path !== HOST_DOC_PATH);
    expect(files.map((d) => `${d.mitra.target}:${d.mitra.content}`)).toEqual([
      'current:v1\n',
      'history:v1\n',
      'current:v2\n',
      'history:v2\n',
    ]);
  });

  it('does not count a change twice while its delivery is still pending', async () => {
    const { agent, write, nextCall } = setup(1e9);
    write('same\n');
    const first = agent.runCycle();
    const call = await nextCall();
    const second = agent.runCycle();
    // The second collection finishes while the first delivery hangs (it then queues behind it).
    await (agent as unknown as { collecting: Promise<unknown> }).collecting;
    const secondCall = nextCall();
    call.answer({ shipped: 4 });
    const queued = await secondCall;
    // Same content, compared with what was in flight: current-state only (the file's and the host document's), no second history document.
    expect(queued.docs.map((d) => d.mitra.target)).toEqual(['current', 'current']);
    queued.answer({ shipped: 2 });
    expect(await first).toMatchObject({ changed: 1, shipped: 4 });
    expect(await second).toMatchObject({ changed: 0, shipped: 2 });
  });

  it('resends what was spooled before a newer change even when the clock was stepped back in between', async () => {
    const { agent, write } = setup(1e9);
    const shipped: string[] = [];
    let away = true;
    const shipper = (agent as unknown as { shipper: { ship: (d: WireDoc[]) => Promise<ShipOutcome> } }).shipper;
    shipper.ship = async (docs) => {
      if (away) return { shipped: 0, rejected: 0, rejectedDocs: [], unsent: docs, error: 'cluster away', retryable: true };
      for (const d of docs) if (d.file.path !== HOST_DOC_PATH && d.mitra.target === 'current') shipped.push(d.mitra.content!);
      return { shipped: docs.length, rejected: 0, rejectedDocs: [], unsent: [] };
    };
    const now = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-27T03:00:00Z'));
    try {
      write('v1\n');
      expect(await agent.runCycle()).toMatchObject({ spooled: 4, error: 'cluster away' });
      // NTP steps the clock back an hour; the cluster is back; the file changes.
      now.mockReturnValue(Date.parse('2026-11-27T02:00:00Z'));
      away = false;
      write('v2\n');
      await agent.runCycle();
      await agent.runPaths([], 'resend');
      // v1 after v2 would leave the cluster's current state at v1 (last write wins).
      expect(shipped).toEqual(['v1\n', 'v2\n']);
      expect(agent.spool.files()).toEqual([]);
    } finally {
      now.mockRestore();
    }
  });

  it('--once resends what was refused for now with exponential backoff, then reports success', async () => {
    const { agent, write, calls } = setup(1e9);
    write('x\n');
    const waits: number[] = [];
    let failures = 2;
    const shipper = (agent as unknown as { shipper: { ship: (d: WireDoc[]) => Promise<ShipOutcome> } }).shipper;
    shipper.ship = async (docs) => {
      calls.push({ docs, answer: () => {} });
      if (failures-- > 0)
        return { shipped: 0, rejected: 0, rejectedDocs: [], unsent: docs, error: '429 too many requests', retryable: true };
      return { shipped: docs.length, rejected: 0, rejectedDocs: [], unsent: [] };
    };
    (agent as unknown as { sleep: (ms: number) => Promise<void> }).sleep = async (ms) => {
      waits.push(ms);
    };
    const summary = await agent.runOnce();
    expect(waits).toEqual([500, 1000]);
    // The file and the host document, current and history each.
    expect(summary).toMatchObject({ spooled: 4, resent: 4, rejected: 0 });
    expect(summary.error).toBeUndefined();
    expect(agent.spool.files()).toEqual([]);
  });

  it('--once ships a cycle bigger than the in-memory queue, which went straight to the spool with no error', async () => {
    // A queue of 100 bytes: every cycle is bigger, as 100 files of 200 KB are for the default 16 MB.
    const { agent, write, calls } = setup(100);
    write('x\n');
    const shipper = (agent as unknown as { shipper: { ship: (d: WireDoc[]) => Promise<ShipOutcome> } }).shipper;
    shipper.ship = async (docs) => {
      calls.push({ docs, answer: () => {} });
      return { shipped: docs.length, rejected: 0, rejectedDocs: [], unsent: [] };
    };
    (agent as unknown as { sleep: (ms: number) => Promise<void> }).sleep = async () => {};
    const summary = await agent.runOnce();
    expect(summary).toMatchObject({ spooled: 4, resent: 4, rejected: 0 });
    expect(summary.error).toBeUndefined();
    expect(agent.spool.files()).toEqual([]);
  });

  it('--once does not retry what waiting cannot fix (a missing pipeline, 403)', async () => {
    const { agent, write } = setup(1e9);
    write('x\n');
    const waits: number[] = [];
    const shipper = (agent as unknown as { shipper: { ship: (d: WireDoc[]) => Promise<ShipOutcome> } }).shipper;
    shipper.ship = async (docs) => ({
      shipped: 0,
      rejected: 0,
      rejectedDocs: [],
      unsent: docs,
      error: 'pipeline missing',
      retryable: false,
    });
    (agent as unknown as { sleep: (ms: number) => Promise<void> }).sleep = async (ms) => {
      waits.push(ms);
    };
    expect(await agent.runOnce()).toMatchObject({ spooled: 4, error: 'pipeline missing' });
    expect(waits).toEqual([]);
  });
});

describe('agent: a state directory it cannot write', () => {
  it('stops cleanly, logging one line, instead of rejecting stop() (a crash with a stack trace at SIGTERM)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitra-agent-unit-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'file'), '');
    const lines: string[] = [];
    const config = parseAgentConfig(
      { files: [join(dir, 'a.conf')], packages: 'off', sysctl: 'off', host_name: 'h', output: 'spool' },
      { env: {}, stateDir: join(dir, 'file', 'state') },
    );
    const agent = new Agent(config, { log: new Logger({ level: 'error', maxBytes: Infinity, stderr: (l) => lines.push(l.trimEnd()) }) });
    await expect(agent.stop()).resolves.toBeUndefined();
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual([
      `ERROR state: cannot save ${join(dir, 'file', 'state')}/state.json (ENOTDIR): changes may be re-sent after a restart`,
    ]);
  });
});

describe('agent: a spool file it cannot read', () => {
  it('starts, keeps the file, and spools new documents behind it with one line saying what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitra-agent-unit-'));
    dirs.push(dir);
    // What cannot be read: a directory under a spool file's name here; as a service user, a file root wrote (EACCES).
    const blocked = join(dir, 'state', 'spool', 'spool-000000000000001-1-000000.ndjson');
    mkdirSync(blocked, { recursive: true });
    writeFileSync(join(dir, 'a.conf'), 'x\n');
    const config = parseAgentConfig(
      { files: [join(dir, 'a.conf')], packages: 'off', sysctl: 'off', host_name: 'h' },
      { env: {}, stateDir: join(dir, 'state') },
    );
    const shipped: WireDoc[] = [];
    const shipper = {
      ship: async (docs: WireDoc[]): Promise<ShipOutcome> => {
        for (const d of docs) shipped.push(d);
        return { shipped: docs.length, rejected: 0, rejectedDocs: [], unsent: [] };
      },
      close: async () => {},
    };
    const agent = new Agent(config, { log: silentLogger(), shipper }); // threw EISDIR: the agent would not start
    const summary = await agent.runCycle();
    expect(summary).toMatchObject({ spooled: 4, shipped: 0 });
    expect(summary.error).toBe(`spool: cannot read ${blocked}: make it readable by the agent's user, or remove it`);
    expect(shipped).toEqual([]);
    expect(agent.spool.files().map((f) => f.name)).toHaveLength(2);
  });
});
