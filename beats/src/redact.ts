import { ConfigError } from '@mitra/core/dist/base';

export interface RedactRule {
  pattern: RegExp;
  replacement: string;
}

const SHAPE = 'a list of {pattern, replacement} rules (added to the default secret rules), `off`, or {defaults: false, rules: [...]}';

const isOff = (value: unknown): boolean => value === false || value === 'off';

/**
 * Whether the default secret rules (beats/src/secrets/rules.ts) apply: always,
 * unless `redact: off` or `redact: {defaults: false}` says otherwise in so many
 * words. The original runner.yaml (no `redact:`) gets them.
 */
export function redactDefaults(value: unknown, where: string): boolean {
  if (isOff(value)) return false;
  if (!isMapping(value)) return true;
  const { defaults } = value;
  if (defaults === undefined || defaults === null || defaults === true || defaults === 'on') return true;
  if (isOff(defaults)) return false;
  throw new ConfigError(`${where}: "redact.defaults" must be true or false (off), not ${JSON.stringify(defaults)}`);
}

/** Compiles the user's `redact:` rules; a bad rule is a ConfigError naming it. */
export function compileRedactions(value: unknown, where: string): RedactRule[] {
  if (value === undefined || value === null || isOff(value)) return [];
  if (isMapping(value)) {
    const unknown = Object.keys(value).find((k) => k !== 'defaults' && k !== 'rules');
    if (unknown) throw new ConfigError(`${where}: unknown key "redact.${unknown}": use defaults or rules`);
    return compileRedactions(value.rules, where);
  }
  if (!Array.isArray(value)) throw new ConfigError(`${where}: "redact" must be ${SHAPE}`);
  return value.map((rule, i) => compileRule(rule, i, where));
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function compileRule(rule: unknown, index: number, where: string): RedactRule {
  const name = `redact[${index}]`;
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    throw new ConfigError(`${where}: "${name}" must be a mapping {pattern: REGEX, replacement: TEXT}`);
  }
  const { pattern, replacement, ...rest } = rule as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown) throw new ConfigError(`${where}: unknown key "${name}.${unknown}": a rule has only pattern and replacement`);
  if (typeof pattern !== 'string' || pattern === '') throw new ConfigError(`${where}: "${name}.pattern" must be a regular expression`);
  if (replacement !== undefined && typeof replacement !== 'string') {
    throw new ConfigError(`${where}: "${name}.replacement" must be text (default "[REDACTED]")`);
  }
  try {
    // Multiline so ^ and $ anchor on lines, as people write them for config files.
    return { pattern: new RegExp(pattern, 'gm'), replacement: replacement ?? '[REDACTED]' };
  } catch (e) {
    throw new ConfigError(`${where}: "${name}.pattern" is not a valid regular expression: ${(e as Error).message}`);
  }
}

/** Applies every rule in order. Runs before anything is shipped or spooled, so secrets never leave the host. */
export function redact(content: string, rules: RedactRule[]): string {
  let out = content;
  for (const rule of rules) out = out.replace(rule.pattern, rule.replacement);
  return out;
}
