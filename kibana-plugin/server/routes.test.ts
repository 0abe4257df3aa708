import type { RouteValidationResultFactory } from '../kibana_api/server';
import { kibanaPath, validateBody, validateParams, validateQuery } from './routes';
import { validateFleetQueryParams } from './rule_type';

// As Kibana's route_validator.ts makes them: the error is an Error with the failing path.
const factory: RouteValidationResultFactory = {
  ok: (value) => ({ value }),
  badRequest: (e, path = []) => ({ error: Object.assign(e instanceof Error ? e : new Error(e), { path }) }),
};

describe('Kibana route adapter', () => {
  it('spells path parameters the Kibana way', () => {
    expect(kibanaPath('/api/mitra/alerts/rules/:name/eval')).toBe('/api/mitra/alerts/rules/{name}/eval');
    expect(kibanaPath('/api/mitra/hosts')).toBe('/api/mitra/hosts');
  });

  it('accepts text and repeated query parameters, rejects anything else with the parameter name', () => {
    expect(validateQuery({ a: 'x', b: ['y', 'z'] }, factory)).toEqual({ value: { a: 'x', b: ['y', 'z'] } });
    expect(validateQuery(undefined, factory)).toEqual({ value: {} });
    expect(validateQuery({ a: { nested: 1 } }, factory).error?.message).toBe('query parameter a must be text');
  });

  it('hands an absent body on as undefined and rejects non-objects', () => {
    expect(validateBody(undefined, factory)).toEqual({ value: undefined });
    expect(validateBody({ name: 'x' }, factory)).toEqual({ value: { name: 'x' } });
    expect(validateBody([1], factory).error?.message).toMatch(/must be a JSON object/);
    expect(validateParams({ name: 3 }, factory).error?.message).toBe('path parameters must be strings');
  });
});

describe('mitra.fleet-query params', () => {
  it('normalises valid params and defaults the threshold to 0', () => {
    expect(validateFleetQueryParams({ kind: 'lucene', params: { query: 'content:ext4' } })).toEqual({
      kind: 'lucene',
      params: { query: 'content:ext4' },
      threshold: 0,
    });
  });
  it.each([
    [{ params: {} }, /params.kind is required: one of lucene, hosts, values, drift/],
    [{ kind: 'sql', params: {} }, /kind "sql" is not a query kind/],
    [{ kind: 'lucene', params: {} }, /needs parameter query/],
    [{ kind: 'hosts', params: { kernel: '4.4' }, threshold: 1.5 }, /threshold "1.5" must be a whole number/],
  ])('rejects %j', (params, message) => {
    expect(() => validateFleetQueryParams(params)).toThrow(message);
  });
});
