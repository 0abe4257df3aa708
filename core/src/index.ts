export * from './schema';
export * from './ids';
export * from './errors';
export * from './config';
export * from './connection';
export {
  isResponseError,
  responseStatus,
  transportFailure,
  type EsResponseError,
  type LogLine,
  type MitraClient,
  type TransportFailure,
} from './client';
export * from './history';
export * from './fleet';
export * from './saved';
export * from './alerts';
export * from './api';
