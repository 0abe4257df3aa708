export * from './types';
export * from './errors';
export * from './router';
export * from './http';
export { HOSTS_QUERY, HOST_CONDITIONS, VALUES_QUERY, DRIFT_QUERY, SEARCH_QUERY, HOST_PATH_QUERY } from './routes/fleet';
export { HISTORY_QUERY, CONTENT_QUERY, DIFF_QUERY, DIFF_HOSTS_QUERY, SERIES_QUERY } from './routes/history';
export { SAVED_SEARCH_BODY, SAVED_SEARCH_PATCH, RUN_BODY, LIST_QUERY } from './routes/saved';
export { ALERT_RULE_BODY, ALERT_RULE_PATCH, ALERT_HISTORY_QUERY } from './routes/alerts';
export { RESULT_WINDOW, MAX_PAGE_SIZE } from './input';
