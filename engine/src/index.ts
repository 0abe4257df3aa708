export * from './engine';
export { FLAVORS, parseFlavor, ES9_VERSION, type Flavor, type FlavorName } from './flavors';
export { readCredentials, credentialsFile, MITRA_ROLE, type Credentials } from './security';
export { requestJson, type EngineHttp, type JsonResponse } from './http';
export {
  clusterNodes,
  clusterReady,
  clusterSize,
  clusterStatus,
  resetClusterData,
  startCluster,
  startClusterNode,
  stopCluster,
  TRANSPORT_OFFSET,
  type ClusterNode,
  type ClusterStatus,
} from './cluster';
