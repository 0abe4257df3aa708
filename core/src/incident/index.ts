export { incidentReport, parseFraction, type IncidentQuery, type IncidentReport } from './incident';
export { fleetIncident, type FleetHit, type FleetIncident, type FleetIncidentQuery } from './fleet';
export {
  DEFAULT_THRESHOLDS,
  isCacheEviction,
  isAnonymousDemand,
  type PatternThresholds,
  type Verdict,
  type VerdictKind,
  type Claim,
} from './verdict';
export { DEFAULT_ORDER, type FragmentationReading, type ZoneFragmentation } from './fragmentation';
export { MEMORY_KEYS, readMemory, type MemoryReading, type MemoryPoint, type KeySummary, type Move } from './memory';
export { RATE_COUNTERS, counterValue, readRates, type RatesReading, type CounterRate, type Interval } from './rates';
export { readWatermarks, type ZoneWatermarks, type WatermarkPoint } from './watermarks';
export { MAX_DOCUMENTS } from './read';
export { pruneSamples } from './retention';
export { MEMORY_SETTINGS, type SettingInForce } from './settings';
export { bytes, signedBytes, PAGE_BYTES } from './units';
export { MEMORY_PATHS, type Observation, type PerZone } from './types';
