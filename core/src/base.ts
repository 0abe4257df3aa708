/**
 * The part of core that loads neither the Elasticsearch client nor the query
 * library: errors, configuration, ids, URLs and error messages. The agent runs
 * on every host and imports only this (`@mitra/core/dist/base`), which keeps
 * its memory small; everything here is also exported by the package index.
 */
export { MitraError, UsageError, ConfigError, ClusterError, isMitraError } from './errors';
export {
  CONFIG_SECTION_KEYS,
  CONFIG_TOP_KEYS,
  readConfigFile,
  resolveConnection,
  resolveIndexConfig,
  type ConnectionConfig,
  type ConnectionFlags,
  type RawConfigFile,
} from './config';
export { currentStateId, historyId } from './ids';
export { OPEN_UNTIL, supersedeOperation } from './history/supersede';
export { displayUrl, redactUrls } from './url';
export { isResponseError, responseStatus, transportFailure, type EsResponseError } from './client';
export {
  describeBody,
  explainError,
  normaliseFingerprint,
  notElasticsearch,
  parseServerInfo,
  readCa,
  responseReason,
  type ServerInfo,
} from './explain';
export { buildMappings } from './schema';
export { check, cliFlag } from './shapes/check';
export { fieldInfo } from './shapes/fields';
export { AGENT_FLAGS, CONNECTION_FLAGS, COMMON_FLAGS, SHORT_FLAGS, withConnection } from './shapes/connection-flags';
export {
  alertsIndex,
  currentIndex,
  historyIndex,
  historyIndices,
  lifecyclePolicyId,
  rulesIndex,
  samplePipeline,
  samplesIndex,
  samplesIndices,
  savedIndex,
  snapshotPipeline,
  stateIndex,
} from './names';
export type { FileStat, SnapshotState, Target, WireDoc, WireInput } from './wire';
export { HOST_DOC_PATH, WIRE_BOUNDS } from './wire';
