export { FIXTURES_DIR } from './assets';
export { type ClusterSettings, installAssets, type InstallResult } from './install';
