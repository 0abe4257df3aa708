export { type ErrorBody, errorResponse } from './errors';
export { createApiServer } from './http';
export { API_ROUTES, handleApi, matchRoute } from './router';
export { LOOPBACK_NAMES, type ServeSecurity } from './security';
export type { ApiRoute } from './types';
