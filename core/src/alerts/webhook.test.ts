import { ConfigError } from '../errors';
import { DEFAULT_WEBHOOK_POLICY, isSpecial, webhookLabel, webhookPolicy } from './webhook';

describe('webhook address policy', () => {
  it('refuses loopback, private, link-local, CGNAT, unique-local and the IPv6 forms that carry them', () => {
    const special = [
      '127.0.0.1',
      '127.255.0.1',
      '0.0.0.0',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '100.64.0.1',
      '100.127.255.255',
      '169.254.169.254',
      '224.0.0.1',
      '255.255.255.255',
      '198.18.0.1',
      '::',
      '::1',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '::127.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '2002:c0a8:101::1',
    ];
    expect(special.filter((a) => !isSpecial(a))).toEqual([]);
  });

  it('lets public addresses through, v4 and v6', () => {
    const pub = [
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '100.128.0.1',
      '169.255.0.1',
      '2606:4700:4700::1111',
      '2a00:1450::1',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
    ];
    expect(pub.filter((a) => isSpecial(a))).toEqual([]);
  });

  it('reads the webhooks: block, naming what is wrong', () => {
    expect(webhookPolicy(undefined)).toBe(DEFAULT_WEBHOOK_POLICY);
    expect(
      webhookPolicy({
        allow_hosts: ['Hooks.Example.com'],
        allow_http: true,
        allow_networks: ['127.0.0.1/32', 'fd00::/8'],
        max_response_kb: 1,
        timeout_ms: 500,
      }),
    ).toEqual({
      allowHosts: ['hooks.example.com'],
      allowHttp: true,
      allowNetworks: ['127.0.0.1/32', 'fd00::/8'],
      maxResponseBytes: 1024,
      timeoutMs: 500,
    });
    expect(() => webhookPolicy({ allow_networks: ['localhost'] }, 'runner.yaml')).toThrow(
      /runner.yaml: webhooks.allow_networks entry "localhost" is not a network/,
    );
    expect(() => webhookPolicy({ allow_networks: ['10.0.0.0/33'] })).toThrow(ConfigError);
    expect(() => webhookPolicy({ allow_hosts: 'x' })).toThrow(/allow_hosts must be a list/);
    expect(() => webhookPolicy({ allow_htp: true })).toThrow(/webhooks.allow_htp is not a setting/);
    expect(() => webhookPolicy({ allow_http: 'yes' })).toThrow(/allow_http must be true or false/);
    expect(() => webhookPolicy({ timeout_ms: 0 })).toThrow(/timeout_ms must be a positive number/);
  });

  it('shows a webhook by its origin only (the path of many webhooks is a secret)', () => {
    expect(webhookLabel('https://hooks.slack.com/services/T0/B0/SECRET')).toBe('https://hooks.slack.com');
    expect(webhookLabel('https://u:p@h.example/x')).toBe('https://h.example');
  });
});
