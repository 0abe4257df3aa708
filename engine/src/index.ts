export * from './engine';
export { FLAVORS, parseFlavor, ES9_VERSION, type Flavor, type FlavorName } from './flavors';
export { readCredentials, credentialsFile, MITRA_ROLE, type Credentials } from './security';
export { requestJson, type EngineHttp, type JsonResponse } from './http';
