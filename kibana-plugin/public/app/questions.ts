import type { QueryParams } from '../api';

/**
 * The Fleet screen's questions: free Lucene, or a guided question with one
 * main input (`value`) and sometimes a second (`extra`). Pure functions turn
 * a question into an API request, into a saved-search definition and back.
 */
export type QuestionType = 'lucene' | 'kernel' | 'os' | 'missing_package' | 'package' | 'file_size' | 'setting' | 'drift' | 'stale';

export interface Question {
  type: QuestionType;
  value: string;
  extra?: string;
}

interface QuestionSpec {
  label: string;
  valueLabel: string;
  placeholder: string;
  extraLabel?: string;
  extraPlaceholder?: string;
  /** Checks the inputs; returns the message to show, or undefined when they are usable. */
  check?(q: Question): string | undefined;
}

const SIZE = /^\d+(\.\d+)?\s*([kmg]i?b?|b)?$/i;

export const QUESTIONS: Record<QuestionType, QuestionSpec> = {
  lucene: { label: 'Lucene query', valueLabel: 'Query', placeholder: 'filename:"/etc/fstab" AND content:ext4' },
  kernel: {
    label: 'Hosts running kernel',
    valueLabel: 'Kernel',
    placeholder: '4.4 or 4.4.0-210-generic',
    check: (q) => (/^\d+\.\d+/.test(q.value) ? undefined : `kernel "${q.value}" is not a version: use major.minor (4.4) or a full release`),
  },
  os: { label: 'Hosts running OS', valueLabel: 'OS', placeholder: 'ubuntu, ubuntu:20.04 or a PRETTY_NAME' },
  missing_package: { label: 'Hosts missing package', valueLabel: 'Package', placeholder: 'zsh' },
  package: {
    label: 'Hosts with package',
    valueLabel: 'Package',
    placeholder: 'openssl',
    extraLabel: 'Version range',
    extraPlaceholder: '>=3.0 (optional)',
  },
  file_size: {
    label: 'Hosts whose file is larger than',
    valueLabel: 'File',
    placeholder: '/etc/hosts',
    extraLabel: 'Larger than',
    extraPlaceholder: '4k',
    check: (q) => {
      if (!q.value.startsWith('/')) return `file "${q.value}" must be an absolute path, e.g. /etc/hosts`;
      if (q.extra && !SIZE.test(q.extra.trim())) return `size "${q.extra}" is not a size: use bytes or 4k, 1m, 2g`;
      return undefined;
    },
  },
  setting: {
    label: 'Setting value across the fleet',
    valueLabel: 'Setting',
    placeholder: 'vm.swappiness',
    extraLabel: 'Hosts with value',
    extraPlaceholder: 'most common (optional)',
  },
  drift: {
    label: 'Hosts whose file drifted',
    valueLabel: 'File',
    placeholder: '/etc/resolv.conf',
    extraLabel: 'Golden host',
    extraPlaceholder: 'majority (optional)',
  },
  stale: {
    label: 'Hosts not seen for',
    valueLabel: 'Duration',
    placeholder: '2h',
    check: (q) => (/^\d+\s*[smhdw]$/.test(q.value) ? undefined : `duration "${q.value}" is not a duration: use 90m, 2h or 3d`),
  },
};

export const QUESTION_TYPES = Object.keys(QUESTIONS) as QuestionType[];
export const isQuestionType = (t: string): t is QuestionType => Object.hasOwn(QUESTIONS, t);

export interface ApiRequest {
  /** Path under /api/mitra. */
  path: string;
  query: QueryParams;
  /** Whether the route pages on the server (page, size) or answers everything at once. */
  serverPaged: boolean;
}

export type Built = { ok: true; request: ApiRequest } | { ok: false; error: string };

/** The API request for a question, or the message saying which input is wrong. */
export function buildRequest(q: Question, page = 1, size = 50): Built {
  const value = q.value.trim();
  const extra = q.extra?.trim() || undefined;
  if (!value) return { ok: false, error: `enter a value for "${QUESTIONS[q.type].valueLabel}", e.g. ${QUESTIONS[q.type].placeholder}` };
  const problem = QUESTIONS[q.type].check?.({ ...q, value, extra });
  if (problem) return { ok: false, error: problem };
  const hosts = (query: QueryParams): Built => ({
    ok: true,
    request: { path: '/hosts', query: { ...query, page, size }, serverPaged: true },
  });
  switch (q.type) {
    case 'lucene':
      return { ok: true, request: { path: '/search', query: { query: value, page, size }, serverPaged: true } };
    case 'kernel':
      return hosts({ kernel: value });
    case 'os':
      return hosts({ os: value });
    case 'missing_package':
      return hosts({ missing_package: value });
    case 'package':
      return hosts({ package: value, version_range: extra });
    case 'file_size':
      return hosts({ file: value, larger_than: extra ?? '4k' });
    case 'stale':
      return hosts({ stale: value });
    case 'setting':
      return { ok: true, request: { path: '/values', query: { key: value, value: extra, page, size }, serverPaged: true } };
    case 'drift':
      return { ok: true, request: { path: '/drift', query: { path: value, golden: extra }, serverPaged: false } };
  }
}

/** A saved search (core's query kinds and parameter names) that asks the same question. */
export function toSavedQuery(q: Question): { kind: string; params: Record<string, string> } {
  const value = q.value.trim();
  const extra = q.extra?.trim() || undefined;
  const defined = (p: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Record<string, string>;
  switch (q.type) {
    case 'lucene':
      return { kind: 'lucene', params: { query: value } };
    case 'kernel':
      return { kind: 'hosts', params: { kernel: value } };
    case 'os':
      return { kind: 'hosts', params: { os: value } };
    case 'missing_package':
      return { kind: 'hosts', params: { missingPackage: value } };
    case 'package':
      return { kind: 'hosts', params: defined({ package: value, versionRange: extra }) };
    case 'file_size':
      return { kind: 'hosts', params: { file: value, largerThan: extra ?? '4k' } };
    case 'stale':
      return { kind: 'hosts', params: { stale: value } };
    case 'setting':
      return { kind: 'values', params: { key: value } };
    case 'drift':
      return { kind: 'drift', params: defined({ path: value, golden: extra }) };
  }
}

/** The Fleet question a saved search asks, when the app can show it (undefined for combinations it has no form for). */
export function fromSavedQuery(kind: string, params: Record<string, unknown>): Question | undefined {
  const p = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const only = (...keys: string[]) => Object.keys(p).every((k) => keys.includes(k) || k === 'size' || k === 'page');
  if (kind === 'lucene' && p.query && only('query')) return { type: 'lucene', value: p.query };
  if (kind === 'values' && p.key) return { type: 'setting', value: p.key };
  if (kind === 'drift' && p.path) return { type: 'drift', value: p.path, ...(p.golden ? { extra: p.golden } : {}) };
  if (kind !== 'hosts') return undefined;
  if (p.kernel && only('kernel')) return { type: 'kernel', value: p.kernel };
  if (p.os && only('os')) return { type: 'os', value: p.os };
  if (p.missingPackage && only('missingPackage')) return { type: 'missing_package', value: p.missingPackage };
  if (p.package && only('package', 'versionRange'))
    return { type: 'package', value: p.package, ...(p.versionRange ? { extra: p.versionRange } : {}) };
  if (p.file && p.largerThan && only('file', 'largerThan')) return { type: 'file_size', value: p.file, extra: p.largerThan };
  if (p.stale && only('stale')) return { type: 'stale', value: p.stale };
  return undefined;
}

/** The question in words, for titles and saved-search descriptions. */
export function describeQuestion(q: Question): string {
  const spec = QUESTIONS[q.type];
  if (q.type === 'lucene') return `Lucene: ${q.value}`;
  return `${spec.label} ${q.value}${q.extra ? ` (${spec.extraLabel?.toLowerCase()} ${q.extra})` : ''}`;
}
