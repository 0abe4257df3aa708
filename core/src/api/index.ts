export * from './types';
export * from './errors';
export * from './router';
export * from './http';
