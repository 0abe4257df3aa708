export { type ClusterNode, clusterNodes, clusterReady, resetClusterData, startCluster, startClusterNode, stopCluster } from './cluster';
export { engineOptions, type EngineOptions, probe, readPid, startEngine, stopEngine } from './engine';
export { FLAVORS, type Flavor, flavorJavaHome, type FlavorName, pluginFolder } from './flavors';
export { requestJson } from './http';
export { type Credentials, readCredentials } from './security';
