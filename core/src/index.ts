export * from './schema';
export * from './ids';
export * from './errors';
export * from './config';
export * from './connection';
