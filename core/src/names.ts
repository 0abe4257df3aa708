/**
 * Every name Mitra gives a thing on the cluster, under an index prefix
 * (default `mitra-`): the one place these names are spelled. The YAML assets
 * (ingest-pipelines/assets) spell the same names with `{{prefix}}`; the asset
 * tests check that they agree.
 */

/** The current-state index: one document per (host, path). */
export const currentIndex = (prefix: string): string => `${prefix}current`;

/** All daily history indices under a prefix. */
export const historyIndices = (prefix: string): string => `${prefix}history-*`;

/** The daily history index of one UTC day, `day` as `YYYY.MM.DD` (the pipeline's date format). */
export const historyIndex = (prefix: string, day: string): string => `${prefix}history-${day}`;

/** The history index lifecycle policy (ILM or ISM) that deletes old days. */
export const lifecyclePolicyId = (prefix: string): string => `${prefix}history-retention`;

/** Where the agent sends memory samples; the sample pipeline routes each into its day's index. */
export const samplesIndex = (prefix: string): string => `${prefix}samples`;

/** Daily indices of compact memory samples (numbers only), written by the `<prefix>sample` pipeline. */
export const samplesIndices = (prefix: string): string => `${prefix}samples-*`;

/** The entry pipeline's id: `mitra-snapshot` with the default prefix. */
export const snapshotPipeline = (prefix: string): string => `${prefix}snapshot`;

/** The memory-samples pipeline (assets/pipelines/sample.yml): numbers only, into `<prefix>samples-YYYY.MM.DD`. */
export const samplePipeline = (prefix: string): string => `${prefix}sample`;

/** Saved searches. */
export const savedIndex = (prefix: string): string => `${prefix}saved-searches`;

/** Alert rules, their evaluation state and the alerts they raised. */
export const rulesIndex = (prefix: string): string => `${prefix}alert-rules`;
export const stateIndex = (prefix: string): string => `${prefix}alert-state`;
export const alertsIndex = (prefix: string): string => `${prefix}alerts`;
