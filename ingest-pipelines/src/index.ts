export { ASSETS_DIR, FIXTURES_DIR, loadAssets } from './assets';
export { type ClusterSettings, installAssets, type InstallResult } from './install';
