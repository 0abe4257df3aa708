import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { open, type Entry, type ZipFile } from 'yauzl';

export const PLUGIN_DIR = resolve(__dirname, '..', '..', '..', 'kibana-plugin');
const BUILD_SCRIPT = join(PLUGIN_DIR, 'scripts', 'build-kibana.js');

/** `npm run build:kibana` (after tsc -b) for one Kibana version; returns the zip's path. */
export function buildZip(kibanaVersion?: string): string {
  const args = kibanaVersion ? ['--kibana-version', kibanaVersion] : [];
  execFileSync(process.execPath, [BUILD_SCRIPT, ...args], { stdio: 'pipe' });
  return join(PLUGIN_DIR, 'build', `mitra-${kibanaVersion ?? '9.2.4'}.zip`);
}

export function runBuild(args: string[]): { status: number; stderr: string } {
  try {
    execFileSync(process.execPath, [BUILD_SCRIPT, ...args], { stdio: 'pipe' });
    return { status: 0, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stderr: Buffer };
    return { status: err.status, stderr: err.stderr.toString() };
  }
}

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** Every file entry of a zip, read with yauzl (the library Kibana's plugin installer reads zips with). */
export function readZip(path: string): Promise<ZipEntry[]> {
  return new Promise((done, fail) => {
    open(path, { lazyEntries: true }, (err, zip?: ZipFile) => {
      if (err || !zip) return fail(err);
      const entries: ZipEntry[] = [];
      zip.on('entry', (entry: Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => done(entries));
      zip.on('error', fail);
      zip.readEntry();
    });
  });
}

/**
 * The plugins the installer finds (src/cli/plugin/install/zip.ts `analyzeArchive`):
 * one per `kibana/<folder>/kibana.json`, its id, the prefix it strips when
 * extracting, and its kibanaVersion (falling back to version).
 */
export function analyze(entries: ZipEntry[]): { id: string; stripPrefix: string; kibanaVersion: string }[] {
  const manifest = /(kibana[\\/][^\\/]+)[\\/]kibana.json/i;
  return entries.flatMap((e) => {
    const m = manifest.exec(e.name);
    if (!m) return [];
    const json = JSON.parse(e.data.toString('utf8'));
    return [
      {
        id: json.id,
        stripPrefix: m[1],
        kibanaVersion: typeof json.kibanaVersion === 'string' && json.kibanaVersion ? json.kibanaVersion : json.version,
      },
    ];
  });
}

/** Extracts as the installer does (`extractArchive`): entries under the prefix, prefix stripped, into `target`. */
export async function unpack(zipPath: string, target: string): Promise<string> {
  const entries = await readZip(zipPath);
  const [plugin] = analyze(entries);
  if (!plugin) throw new Error(`${zipPath}: no kibana/<folder>/kibana.json`);
  for (const e of entries) {
    if (!e.name.startsWith(plugin.stripPrefix)) continue;
    const file = join(target, e.name.slice(plugin.stripPrefix.length));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, e.data);
  }
  return target;
}
