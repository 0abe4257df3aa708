export * from './rules';
export * from './actions';
export * from './evaluate';
