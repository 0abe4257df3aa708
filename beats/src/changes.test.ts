import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentStateId, historyId } from '@mitra/core';
import { decide, fingerprint } from './changes';
import { expandFiles, isConfigured, shippable, watchPlan } from './filelist';
import { GLOB_LIMIT, globToRegExp } from './glob';
import { batch, documentId } from './shipper';
import { toWireDoc, type Snapshot } from './wire';

const present = (content: string): Snapshot => ({ path: '/etc/hosts', state: 'present', content });
const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-01-01T00:05:00.000Z';

describe('change detection', () => {
  it('treats a never-seen file as a change', () => {
    expect(decide(present('a'), undefined, T1)).toEqual({
      changed: true,
      changedAt: T1,
      memory: { fingerprint: fingerprint(present('a')), changedAt: T1 },
    });
  });

  it('keeps changed_at when content is the same, moves it when content differs', () => {
    const first = decide(present('a'), undefined, T1).memory;
    expect(decide(present('a'), first, T2)).toMatchObject({ changed: false, changedAt: T1 });
    expect(decide(present('b'), first, T2)).toMatchObject({ changed: true, changedAt: T2 });
  });

  it('counts a state change (present → missing → missing) once', () => {
    const first = decide(present('a'), undefined, T1).memory;
    const gone = decide({ path: '/etc/hosts', state: 'missing', reason: 'ENOENT' }, first, T2);
    expect(gone.changed).toBe(true);
    expect(decide({ path: '/etc/hosts', state: 'missing', reason: 'ENOENT' }, gone.memory, T2).changed).toBe(false);
  });

  it('fingerprints the sha256 of the content', () => {
    expect(fingerprint(present('abc'))).toBe(`present:${createHash('sha256').update('abc').digest('hex')}`);
  });
});

describe('wire documents', () => {
  const ctx = { host: { name: 'web-01' }, timestamp: T1, tags: ['prod'], agentVersion: '0.1.0' };

  it('carries content only when present, and the fields its id depends on', () => {
    const doc = toWireDoc({ path: '/etc/x', state: 'binary', content: 'should not ship', reason: 'NUL' }, ctx, 'history', T1);
    expect(doc).toEqual({
      '@timestamp': T1,
      host: { name: 'web-01' },
      file: { path: '/etc/x' },
      mitra: {
        state: 'binary',
        reason: 'NUL',
        target: 'history',
        changed_at: T1,
        tags: ['prod'],
        agent: { version: '0.1.0', host_doc: true },
      },
    });
  });

  it('uses the pipeline id rules: sha256(host_path) for current, sha256(host_path_timestamp) for history', () => {
    const current = toWireDoc(present('a'), ctx, 'current');
    const history = toWireDoc(present('a'), ctx, 'history');
    expect(documentId(current)).toBe(createHash('sha256').update('web-01_/etc/hosts').digest('hex'));
    expect(documentId(current)).toBe(currentStateId('web-01', '/etc/hosts'));
    expect(documentId(history)).toBe(historyId('web-01', '/etc/hosts', T1));
  });

  it('batches by count and by the bytes of the NDJSON body actually sent', () => {
    const docs = Array.from({ length: 5 }, (_, i) => toWireDoc(present('x'.repeat(1000 * i)), ctx, 'current'));
    expect(batch(docs, { batchDocs: 2, batchBytes: 1e9 }).map((b) => b.length)).toEqual([2, 2, 1]);
    const limit = 4100;
    const batches = batch(docs, { batchDocs: 100, batchBytes: limit });
    for (const b of batches) {
      const body = b.map((d) => `${d.action}\n${d.json}\n`).join('');
      expect(b.reduce((n, d) => n + d.bytes, 0)).toBe(Buffer.byteLength(body));
      // Over the limit only when one document alone is bigger than it.
      if (b.length > 1) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(limit);
      expect(b.map((d) => JSON.parse(d.json))).toEqual(b.map((d) => d.doc));
    }
    expect(batches.flat().map((d) => d.doc)).toEqual(docs);
    expect(batches.length).toBeGreaterThan(2);
  });

  it('counts multi-byte content in bytes, not characters', () => {
    const docs = [toWireDoc(present('é'.repeat(3000)), ctx, 'current'), toWireDoc(present('é'.repeat(3000)), ctx, 'current')];
    // 6000 bytes each as UTF-8: two do not fit 10,000 bytes although they are 3000 characters each.
    expect(batch(docs, { batchDocs: 100, batchBytes: 10_000 }).map((b) => b.length)).toEqual([1, 1]);
  });
});

describe('globs and file lists', () => {
  it('matches one segment with * and any depth with **', () => {
    expect(globToRegExp('/etc/sysctl.d/*.conf').test('/etc/sysctl.d/99-x.conf')).toBe(true);
    expect(globToRegExp('/etc/sysctl.d/*.conf').test('/etc/sysctl.d/sub/x.conf')).toBe(false);
    expect(globToRegExp('/etc/**/*.conf').test('/etc/a/b/c.conf')).toBe(true);
    expect(globToRegExp('/etc/**/*.conf').test('/etc/c.conf')).toBe(true);
    expect(globToRegExp('/etc/host?').test('/etc/hosts')).toBe(true);
    expect(globToRegExp('/etc/[!h]osts').test('/etc/hosts')).toBe(false);
    expect(globToRegExp('/etc/a.b').test('/etc/aXb')).toBe(false);
  });

  it('matches names with a newline with ** as with *, so an exclude holds for them too', () => {
    // A file named "x\ny.conf" matched files: /srv/**/*.conf but escaped exclude: /srv/private/**, and was shipped.
    expect(globToRegExp('/srv/private/**').test('/srv/private/x\ny.conf')).toBe(true);
    expect(globToRegExp('/srv/**').test('/srv/a\nb/c.conf')).toBe(true);
    expect(globToRegExp('/srv/*.conf').test('/srv/x\ny.conf')).toBe(true);
    expect(globToRegExp('/srv/*.conf').test('/srv/a/y.conf')).toBe(false);
  });

  it('keeps configured-but-absent literal paths and applies include/exclude', () => {
    const config = {
      files: ['/nonexistent/a', '/nonexistent/b.conf'],
      include: [],
      exclude: [globToRegExp('/nonexistent/*.conf')],
      hostfs: '',
    };
    expect(expandFiles(config)).toEqual(['/nonexistent/a']);
    expect(isConfigured('/nonexistent/a', config)).toBe(true);
    expect(isConfigured('/nonexistent/b.conf', config)).toBe(false);
    expect(isConfigured('/nonexistent/c', config)).toBe(false);
  });

  it('says so when a glob walk stops at the limit, instead of leaving files out silently', () => {
    const root = mkdtempSync(join(tmpdir(), 'mitra-glob-'));
    try {
      for (const dir of ['a', 'b']) mkdirSync(join(root, dir));
      for (let i = 0; i < GLOB_LIMIT; i++) writeFileSync(join(root, 'a', `${i}.conf`), '');
      writeFileSync(join(root, 'b', 'last.conf'), '');
      const warnings: string[] = [];
      const config = { files: [`${root}/**/*.conf`], include: [], exclude: [], hostfs: '' };
      expect(expandFiles(config, (line) => warnings.push(line))).toHaveLength(GLOB_LIMIT);
      expect(warnings).toEqual([
        `files: ${root}/**/*.conf matches ${GLOB_LIMIT} files or more; its walk stopped there and files in directories not yet walked are not read: narrow the pattern or list its directories as separate globs`,
      ]);
      warnings.length = 0;
      expect(expandFiles({ ...config, files: [`${root}/b/*.conf`] }, (line) => warnings.push(line))).toEqual([`${root}/b/last.conf`]);
      expect(warnings).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('leaves out and names a file or directory whose name is not valid UTF-8, instead of reporting it missing', () => {
    const root = mkdtempSync(join(tmpdir(), 'mitra-glob-'));
    const rootBytes = Buffer.from(root);
    const at = (...parts: Buffer[]) => Buffer.concat([rootBytes, ...parts]);
    try {
      writeFileSync(join(root, 'good.conf'), 'a');
      // Latin-1 bytes, as an old tarball leaves them: \xff and \xfe are never UTF-8.
      writeFileSync(at(Buffer.from('/bad'), Buffer.from([0xff]), Buffer.from('.conf')), 'b');
      mkdirSync(at(Buffer.from('/dir'), Buffer.from([0xfe])));
      writeFileSync(at(Buffer.from('/dir'), Buffer.from([0xfe]), Buffer.from('/in.conf')), 'c');
      const warnings: string[] = [];
      const files = expandFiles({ files: [`${root}/**/*.conf`], include: [], exclude: [], hostfs: '' }, (line) => warnings.push(line));
      expect(files).toEqual([`${root}/good.conf`]);
      // Directory order is the file system's: compare sorted.
      expect(warnings.sort()).toEqual([
        `files: "${root}/bad\ufffd.conf" (matched by ${root}/**/*.conf) has a name that is not valid UTF-8: not read; rename it to collect it`,
        `files: "${root}/dir\ufffd" (matched by ${root}/**/*.conf) has a name that is not valid UTF-8: not read; rename it to collect it`,
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('leaves out and names a file whose name has a control character (the pipeline refuses that path), keeping lookalikes', () => {
    const root = mkdtempSync(join(tmpdir(), 'mitra-glob-'));
    try {
      // Lookalikes that must stay: a space, a non-ASCII letter, a tab-free name with "\t" spelled out.
      const kept = ['good.conf', 'with space.conf', 'café.conf', 'back\\tslash.conf'];
      const left: [string, number][] = [
        ['new\nline.conf', 10],
        ['bell\u0007.conf', 7],
        ['del\u007f.conf', 127],
        ['esc\u001b[31m.conf', 27],
      ];
      for (const name of [...kept, ...left.map(([n]) => n)]) writeFileSync(join(root, name), 'a');
      mkdirSync(join(root, 'dir\tx'));
      writeFileSync(join(root, 'dir\tx', 'in.conf'), 'b');
      // A literal path in the configuration is checked too.
      const literal = `${root}/lit\u0001.conf`;
      const warnings: string[] = [];
      const config = { files: [`${root}/**/*.conf`, literal], include: [], exclude: [], hostfs: '' };
      const files = expandFiles(config, (line) => warnings.push(line));
      expect(files.sort()).toEqual(kept.map((n) => `${root}/${n}`).sort());
      const named: [string, number][] = [
        ...left.map(([n, code]): [string, number] => [`${root}/${n}`, code]),
        [`${root}/dir\tx/in.conf`, 9],
        [literal, 1],
      ];
      expect(warnings.sort()).toEqual(
        named
          .map(
            ([p, code]) =>
              `files: ${JSON.stringify(p)} has a control character in its name (code ${code}), which the snapshot pipeline refuses: not read; rename it to collect it`,
          )
          .sort(),
      );
      // What the watcher reports goes through the same check (agent.ts).
      expect(shippable(`${root}/new\nline.conf`)).toBe(false);
      expect(shippable(`${root}/good.conf`)).toBe(true);
      // Deeper than open() can reach, which a walk can still list: the pipeline's bound is PATH_MAX.
      const deep = `/${'d'.repeat(250)}`.repeat(16);
      const told: string[] = [];
      expect(shippable(`${deep}/${'f'.repeat(79)}`, (l) => told.push(l))).toBe(true);
      expect(shippable(`${deep}/${'f'.repeat(80)}`, (l) => told.push(l))).toBe(false);
      expect(told).toEqual([
        `files: ${JSON.stringify(`${deep}/${'f'.repeat(80)}`.slice(0, 80))}… is 4097 bytes long, and the snapshot pipeline takes paths of at most 4096 bytes (PATH_MAX): not read`,
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('watches directories of regular files and of last-segment globs, never /proc, under hostfs', () => {
    const plan = watchPlan({ files: ['/etc/hosts', '/etc/sysctl.d/*.conf', '/proc/meminfo'], hostfs: '/h' }, [
      '/etc/hosts',
      '/proc/meminfo',
    ]);
    expect([...plan.keys()].sort()).toEqual(['/h/etc', '/h/etc/sysctl.d']);
    expect(plan.get('/h/etc')!('hosts')).toBe(true);
    expect(plan.get('/h/etc')!('passwd')).toBe(false);
    expect(plan.get('/h/etc/sysctl.d')!('10-new.conf')).toBe(true);
    expect(plan.get('/h/etc/sysctl.d')!('README')).toBe(false);
  });
});
