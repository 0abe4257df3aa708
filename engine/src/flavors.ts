import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The engines Mitra is verified against (docs/compatibility.md). Each one is
 * provisioned from Maven Central by its own pom and started on 127.0.0.1 with
 * its own default port, so several can run side by side.
 */
export type FlavorName = 'es7' | 'es9' | 'opensearch' | 'opensearch-ism';

interface RunnerLaunch {
  /** A small Java launcher that runs the node in-process on a Maven-resolved classpath. */
  kind: 'runner';
  mainClass: string;
  /** Maven build directory (holds classes/ and classpath.txt), relative to engine/. */
  buildDir: string;
  /** Plugins loaded from a folder the operator names (LocalOpenSearch.java says why a folder). */
  plugins?: PluginFolder;
}

/**
 * Plugins that no package registry here serves, so the repository neither
 * downloads nor builds them: an environment variable names a folder that holds
 * them, such as the plugins/ folder of the matching distribution.
 */
export interface PluginFolder {
  env: string;
  /** What the folder should be, for the message when it is not set or incomplete. */
  what: string;
  /** The plugin folders it must hold, by the name in their plugin-descriptor.properties. */
  names: string[];
  /** Node settings the plugins define, which a node without them would refuse. */
  settings: Record<string, string>;
}

interface DistributionLaunch {
  /** The unpacked distribution, started with its own bin/elasticsearch. */
  kind: 'distribution';
  /** The distribution's home, relative to engine/. */
  home: string;
}

export interface Flavor {
  name: FlavorName;
  label: string;
  defaultPort: number;
  /** The Maven project that provisions it, relative to engine/. */
  pom: string;
  /** JDKs to try, first found wins (MITRA_ENGINE_JAVA_HOME overrides). */
  javaHomes: string[];
  /** TLS on HTTP and authentication: the engine writes a CA, users and an API key at first start. */
  secured: boolean;
  launch: RunnerLaunch | DistributionLaunch;
}

const ENGINE_DIR = resolve(__dirname, '..');
const JAVA_17 = ['/usr/lib/jvm/java-17-openjdk-amd64', '/usr/lib/jvm/java-17-openjdk-arm64', '/usr/lib/jvm/java-17-openjdk'];
const JAVA_25 = ['/usr/lib/jvm/temurin-25-jdk-amd64', '/usr/lib/jvm/temurin-25-jdk-arm64', '/usr/lib/jvm/temurin-25-jdk'];
export const ES9_VERSION = '9.2.4';

export const FLAVORS: Record<FlavorName, Flavor> = {
  es7: {
    name: 'es7',
    label: 'Elasticsearch 7.10.2',
    defaultPort: 9200,
    pom: 'pom.xml',
    javaHomes: JAVA_17,
    secured: false,
    launch: { kind: 'runner', mainClass: 'dev.mitra.engine.LocalEngine', buildDir: 'target' },
  },
  es9: {
    name: 'es9',
    label: `Elasticsearch ${ES9_VERSION} (security on)`,
    defaultPort: 9210,
    pom: 'flavors/es9/pom.xml',
    // 9.x needs Java 21+; the integ-test distribution bundles no JDK.
    javaHomes: JAVA_25,
    secured: true,
    launch: { kind: 'distribution', home: `target/es9/elasticsearch-${ES9_VERSION}` },
  },
  opensearch: {
    name: 'opensearch',
    label: 'OpenSearch 2.19.1',
    defaultPort: 9220,
    pom: 'flavors/opensearch/pom.xml',
    javaHomes: JAVA_17,
    secured: false,
    launch: { kind: 'runner', mainClass: 'dev.mitra.engine.opensearch.LocalOpenSearch', buildDir: 'target/opensearch' },
  },
  'opensearch-ism': {
    name: 'opensearch-ism',
    label: 'OpenSearch 2.19.1 with Index State Management',
    defaultPort: 9230,
    pom: 'flavors/opensearch/pom.xml',
    javaHomes: JAVA_17,
    secured: false,
    launch: {
      kind: 'runner',
      mainClass: 'dev.mitra.engine.opensearch.LocalOpenSearch',
      buildDir: 'target/opensearch',
      plugins: {
        env: 'MITRA_OPENSEARCH_PLUGINS',
        what: 'the plugins/ folder of an OpenSearch 2.19.1 distribution',
        names: ['opensearch-job-scheduler', 'opensearch-index-management'],
        // ISM checks its managed indices every job_interval minutes (default 5): 1 lets a test see a policy act.
        settings: { 'plugins.index_state_management.job_interval': '1' },
      },
    },
  },
};

export class UnknownFlavorError extends Error {}

/** `default` and an empty value mean the 7.10 engine every test and the demo use. */
export function parseFlavor(name: string | undefined): FlavorName {
  const n = (name ?? '').trim().toLowerCase();
  if (n === '' || n === 'default') return 'es7';
  if (n in FLAVORS) return n as FlavorName;
  throw new UnknownFlavorError(`unknown engine flavor "${name}": use ${Object.keys(FLAVORS).join(', ')} (or default)`);
}

export function flavorJavaHome(flavor: Flavor): string | undefined {
  return flavor.javaHomes.find((dir) => existsSync(join(dir, 'bin', 'java'))) ?? process.env.JAVA_HOME;
}

/** The 7.10 engine keeps its original data dir (engine/.data/<port>/); the others are named after the flavour. */
export function flavorDataDir(flavor: Flavor, port: number): string {
  return join(ENGINE_DIR, '.data', flavor.name === 'es7' ? String(port) : `${flavor.name}-${port}`);
}

/** The file whose presence (newer than the pom) says the flavour is provisioned. */
export function buildMarker(flavor: Flavor): string {
  return flavor.launch.kind === 'runner'
    ? join(ENGINE_DIR, flavor.launch.buildDir, 'classpath.txt')
    : join(ENGINE_DIR, flavor.launch.home, 'plugins', 'mitra-missing-modules', 'plugin-descriptor.properties');
}

export const flavorPath = (relative: string): string => join(ENGINE_DIR, relative);

/**
 * The folder of the flavour's plugins, or why it cannot start: the variable is
 * not set, or the folder lacks one of the plugins.
 */
export function pluginFolder(flavor: Flavor): { dir: string } | { missing: string } | undefined {
  const plugins = flavor.launch.kind === 'runner' ? flavor.launch.plugins : undefined;
  if (!plugins) return undefined;
  const dir = process.env[plugins.env];
  const fix = `set ${plugins.env} to ${plugins.what}`;
  if (!dir) return { missing: `${flavor.label} loads ${plugins.names.join(' and ')}, which no package registry here serves: ${fix}` };
  const absent = plugins.names.filter((name) => !existsSync(join(dir, name, 'plugin-descriptor.properties')));
  if (absent.length) return { missing: `${plugins.env} (${dir}) has no ${absent.join(' or ')} plugin folder: ${fix}` };
  return { dir: resolve(dir) };
}
