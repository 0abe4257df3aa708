/** Secrets never leave the host: refusal by resolved path, identity and content; redaction in place. Rules: secrets/rules.ts. */
export { SECRET_RULES, rulesMarkdown, type SecretRule } from './secrets/rules';
export { MARKER_PREFIX, isSecretKey, normaliseKey, redactSecrets, refusedContent, refusedPath, type Mark } from './secrets/detect';
export { SecretGuard, loadSalt, secretGuardFor, type SecretPolicy, type SecretTarget } from './secrets/guard';
export { resolveHostPath } from './secrets/resolve';
