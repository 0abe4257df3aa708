import { existsSync, statSync } from 'node:fs';
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
  /** Plugins built by a pom of their own and loaded from a folder (LocalOpenSearch.java says why). */
  plugins?: PluginBuild;
}

/**
 * Plugins compiled from a source checkout that no package registry here serves:
 * the pom takes the checkout as a -D property, named by an environment variable.
 */
export interface PluginBuild {
  /** The Maven project, relative to engine/. */
  pom: string;
  /** The plugins folder it writes, relative to engine/. */
  dir: string;
  /** A file in `dir` whose presence (newer than the pom) says the plugins are built. */
  marker: string;
  /** Goals run on their own before `package` (Maven checks a system-scope path before any phase). */
  prepare: string[];
  source: { env: string; property: string; what: string };
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
        pom: 'flavors/opensearch-ism/pom.xml',
        dir: 'target/opensearch-ism/plugins',
        marker: 'target/opensearch-ism/plugins/opensearch-index-management/plugin-descriptor.properties',
        prepare: ['dependency:unpack@job-scheduler'],
        source: {
          env: 'MITRA_ISM_SOURCE',
          property: 'ism.source',
          what: 'a checkout of opensearch-project/index-management at tag 2.19.1.0 (git clone -b 2.19.1.0 https://github.com/opensearch-project/index-management)',
        },
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
 * Why the flavour's plugins cannot be built here (not built yet, and no source
 * checkout named), or undefined when they are built or can be.
 */
export function missingPluginSource(flavor: Flavor): string | undefined {
  const plugins = flavor.launch.kind === 'runner' ? flavor.launch.plugins : undefined;
  if (!plugins || process.env[plugins.source.env] || pluginsBuilt(plugins)) return undefined;
  return pluginSourceNeeded(flavor.label, plugins);
}

/** Built, and for the pom as it is now (a newer pom rebuilds them). */
export function pluginsBuilt(plugins: PluginBuild): boolean {
  const marker = flavorPath(plugins.marker);
  return existsSync(marker) && statSync(flavorPath(plugins.pom)).mtimeMs <= statSync(marker).mtimeMs;
}

export const pluginSourceNeeded = (label: string, plugins: PluginBuild): string =>
  `${label} builds its plugins from source, which no package registry serves: set ${plugins.source.env} to ${plugins.source.what}`;
