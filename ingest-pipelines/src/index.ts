export * from './assets';
export * from './install';
