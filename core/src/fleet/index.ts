// Fleet questions over the current state (and history for `at` searches).
// Each query is (client, prefix, params) => Promise<result>; every result has asOf and total.
export { type DriftResult, fileDrift } from './drift';
export { type GetResult, getSnapshot } from './get';
export { findHosts, type HostQuery, type HostRow, hostsByKernel, hostsMissingPackage, type HostsResult, staleHosts } from './hosts';
export { fleetOverview } from './overview';
export { type SearchHit, type SearchResult, searchSnapshots } from './search';
export { settingValues, type ValuesResult } from './values';
