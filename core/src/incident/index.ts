export { fleetIncident, type FleetIncident } from './fleet';
export { DEFAULT_ORDER } from './fragmentation';
export { incidentReport, type IncidentReport, parseFraction } from './incident';
export { pruneSamples } from './retention';
export { bytes, signedBytes } from './units';
export { DEFAULT_THRESHOLDS, type PatternThresholds } from './verdict';
