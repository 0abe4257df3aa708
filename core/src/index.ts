export * from './schema';
export * from './ids';
export * from './errors';
export * from './config';
export * from './connection';
export * from './history';
export * from './fleet';
export * from './saved';
export * from './alerts';
export * from './api';
export { check, describeIssue, queryParam, bodyField, cliFlag, type Namer } from './shapes/check';
export { fieldInfo, type FieldInfo, type FieldKind } from './shapes/fields';
export {
  COMMAND_FLAGS,
  CONNECTION_FLAGS,
  COMMON_FLAGS,
  SHORT_FLAGS,
  commandShape,
  type CommandName,
  type CommandValues,
} from './shapes/commands';
