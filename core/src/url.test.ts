import { displayUrl, redactUrls } from './url';

describe('displayUrl', () => {
  it('drops userinfo and keeps the rest as written', () => {
    expect(displayUrl('http://elastic:Pa55@127.0.0.1:9200')).toBe('http://127.0.0.1:9200');
    expect(displayUrl('https://u:p@es.example:9243/base/')).toBe('https://es.example:9243/base/');
    expect(displayUrl('http://only-user@h:1')).toBe('http://h:1');
    expect(displayUrl('http://127.0.0.1:9200')).toBe('http://127.0.0.1:9200');
  });

  it('redacts URLs it cannot parse, and URLs inside text', () => {
    expect(displayUrl('http://elastic:Pa55@[bad')).toBe('http://[bad');
    expect(displayUrl('http://u:pa/ss@host:1')).not.toContain('ss@');
    expect(redactUrls('connect to http://a:b@h:1 and https://c:d@k/x failed')).toBe('connect to http://h:1 and https://k/x failed');
    expect(redactUrls('no URL here: user@example')).toBe('no URL here: user@example');
  });
});
