export { checkParams, QUERY_KINDS, queryKind } from './kinds';
export { parseVars, placeholders } from './params';
export { createSaved, deleteSaved, getSaved, listSaved, runSaved, type SavedRun, type SavedSearch, updateSaved } from './store';
