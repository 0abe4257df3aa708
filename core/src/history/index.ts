export * from './scope';
export * from './time';
export * from './diff';
export * from './versions';
export * from './compare';
export * from './series';
export { historyIndex, OPEN_UNTIL, supersedeOperation, type Supersession } from './supersede';
