export { diffHosts, type DiffResult, diffVersions, parseVersionRef } from './compare';
export { explained, type IndexScope } from './scope';
export { series, type Series } from './series';
export { parseInstant, parseInterval } from './time';
export { contentAt, listVersions, type Version, type VersionList } from './versions';
export { historyIndexAt, OPEN_UNTIL, supersedeOperation, type Supersession } from './supersede';
