export * from './documents';
export * from './kinds';
export * from './params';
export * from './store';
