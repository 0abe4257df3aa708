// Fleet questions over the current state (and history for `at` searches).
// Each query is (client, prefix, params) => Promise<result>; every result has asOf and total.
export { compareVersions, parseVersionRange, satisfies, type VersionConstraint, type VersionOp } from './version';
export type { PageParams } from './common';
export { allHosts, findHosts, HOST_PAGE, type HostQuery, type HostRow, type HostsResult } from './hosts';
export {
  settingHosts,
  settingValues,
  valueHosts,
  type ValuesParams,
  type ValuesResult,
  type ValueBucket,
  type ValueHost,
  type ValueHostsParams,
  type ValueHostsResult,
  type SettingSource,
} from './values';
export { allDriftedHosts, DRIFT_PAGE, fileDrift, type DriftParams, type DriftResult, type DriftHost } from './drift';
export { searchSnapshots, type SearchParams, type SearchResult, type SearchHit } from './search';
export { getSnapshot, type GetParams, type GetResult, type SnapshotDoc } from './get';
export { fleetOverview, type OverviewResult, type OverviewBucket } from './overview';
