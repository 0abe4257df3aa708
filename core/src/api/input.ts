import { UsageError } from '../errors';
import { parseInstant } from '../history/time';
import type { ApiRequest } from './types';

/**
 * Readers for request parameters. Each names the parameter in its error, so a
 * bad value is a 400 that says which one and what it should look like.
 */

type Query = ApiRequest['query'];

/** The last value of a query parameter, trimmed; undefined when absent or empty. */
export function optional(query: Query, name: string): string | undefined {
  const raw = query[name];
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function required(query: Query, name: string, example: string): string {
  const value = optional(query, name);
  if (value === undefined) throw new UsageError(`parameter ${name} is required, e.g. ${name}=${example}`);
  return value;
}

export function optionalTime(query: Query, name: string): string | undefined {
  const value = optional(query, name);
  return value === undefined ? undefined : parseInstant(value, `parameter ${name}`);
}

export function integer(query: Query, name: string, opts: { min: number; max: number; fallback: number }): number {
  const value = optional(query, name);
  if (value === undefined) return opts.fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < opts.min || n > opts.max) {
    throw new UsageError(`parameter ${name} "${value}" is out of range: use a whole number from ${opts.min} to ${opts.max}`);
  }
  return n;
}

export const MAX_PAGE_SIZE = 1000;

/** `page` (1-based) and `size` (≤ 1000). */
export function paging(query: Query, fallbackSize = 100): { page: number; size: number } {
  return {
    page: integer(query, 'page', { min: 1, max: 1_000_000, fallback: 1 }),
    size: integer(query, 'size', { min: 1, max: MAX_PAGE_SIZE, fallback: fallbackSize }),
  };
}

/** One page of an in-memory list, with the total. */
export function pageOf<T>(rows: T[], page: number, size: number): { total: number; page: number; size: number; rows: T[] } {
  return { total: rows.length, page, size, rows: rows.slice((page - 1) * size, page * size) };
}

/** The JSON body as an object; names what is wrong otherwise. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new UsageError('request body must be a JSON object (Content-Type: application/json)');
  }
  return body as Record<string, unknown>;
}

/** `vars` from a body: an object of strings. */
export function vars(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError('vars must be an object of name: value strings');
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
