export { Agent, type AgentOptions, type AgentStatus, describe } from './agent';
export { documentPath } from './collectors/files';
export { DEFAULT_FILES, ORIGINAL_FILES, parseAgentConfig } from './config';
export { Logger } from './log';
export { MemorySampler, readSample, type SampleDoc, trimZoneinfo } from './sampler';
export { classifyItem, documentId, Shipper } from './shipper';
export type { CycleSummary } from './state';
export { toWireDoc, type Snapshot } from './wire';
export { hostDocument } from './collectors/host';
