export * from './types';
export * from './errors';
export * from './router';
export * from './http';
export { LOOPBACK_NAMES, XSRF_HEADER, type ServeSecurity } from './security';
