import { DEFAULT_ROUTE, formatRoute, parseRoute, routeLocation, type Route } from '../routes';

describe('URL state (history locations; the standalone page keeps them in the hash)', () => {
  const routes: Route[] = [
    { screen: 'fleet', page: 1 },
    { screen: 'fleet', page: 3, question: { type: 'kernel', value: '4.4' } },
    { screen: 'fleet', page: 1, question: { type: 'lucene', value: 'filename:"/etc/fstab" AND content:ext4 & more?#' } },
    { screen: 'fleet', page: 1, question: { type: 'package', value: 'openssl', extra: '>=3.0,<4' } },
    { screen: 'host', host: 'web 01/α' },
    { screen: 'host', host: 'web-01', path: '/etc/hosts', from: 'a'.repeat(64), to: 'b'.repeat(64) },
    { screen: 'host', host: 'web-01', view: 'memory' },
    { screen: 'compare' },
    { screen: 'compare', path: '/etc/resolv.conf', group: 'c'.repeat(64) },
    { screen: 'saved', tab: 'searches' },
    { screen: 'saved', tab: 'rules' },
    { screen: 'saved', tab: 'history' },
  ];

  it.each(routes.map((r) => [formatRoute(r), r] as const))('%s round-trips', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it.each(routes.map((r) => [formatRoute(r), r] as const))('%s round-trips as a history location', (_, route) => {
    expect(parseRoute(routeLocation(route))).toEqual(route);
  });

  it('writes readable paths', () => {
    expect(formatRoute(routes[1])).toBe('/fleet?type=kernel&value=4.4&page=3');
    expect(formatRoute(routes[5])).toBe(`/host/web-01?path=%2Fetc%2Fhosts&from=${'a'.repeat(64)}&to=${'b'.repeat(64)}`);
    expect(formatRoute({ screen: 'saved', tab: 'searches' })).toBe('/saved');
    expect(routeLocation(routes[1])).toEqual({ pathname: '/fleet', search: '?type=kernel&value=4.4&page=3' });
  });

  it('falls back to safe defaults for URLs typed by hand', () => {
    expect(parseRoute('')).toEqual(DEFAULT_ROUTE);
    expect(parseRoute('#/nowhere')).toEqual(DEFAULT_ROUTE);
    expect(parseRoute('#/host')).toEqual(DEFAULT_ROUTE);
    // A type that cannot be a form id is dropped; a well-formed unknown one reaches the screen, which says it is no question.
    expect(parseRoute('#/fleet?type=Bogus!&value=1')).toEqual({ screen: 'fleet', page: 1 });
    expect(parseRoute('#/fleet?type=bogus&value=1')).toMatchObject({ question: { type: 'bogus', value: '1' } });
    expect(parseRoute('#/fleet?type=kernel&value=4.4&page=-2')).toEqual({
      screen: 'fleet',
      page: 1,
      question: { type: 'kernel', value: '4.4' },
    });
    expect(parseRoute('#/saved?tab=other')).toEqual({ screen: 'saved', tab: 'searches' });
    expect(parseRoute('#/host/%E0%A4%A?path=/x')).toMatchObject({ screen: 'host', host: '%E0%A4%A' });
  });
});
