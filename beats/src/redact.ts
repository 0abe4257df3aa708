import { ConfigError } from '@mitra/core';

export interface RedactRule {
  pattern: RegExp;
  replacement: string;
}

/** Compiles `redact: [{pattern, replacement}]`; a bad rule is a ConfigError naming it. */
export function compileRedactions(value: unknown, where: string): RedactRule[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ConfigError(`${where}: "redact" must be a list of {pattern, replacement} rules`);
  return value.map((rule, i) => compileRule(rule, i, where));
}

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
