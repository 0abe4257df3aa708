import dnsPromises from 'node:dns/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../errors';
import { DEFAULT_WEBHOOK_POLICY, isSpecial, postJson, webhookLabel, webhookPolicy } from './webhook';

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

describe('webhook delivery connects to the address it checked', () => {
  /** A name only the checking resolver knows: a delivery that resolved again at connect time would fail with ENOTFOUND. */
  const NAME = 'rebind.mitra.invalid';

  it('sends to the checked address with the name in Host, and refuses when the one lookup says private', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers.host));
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const lookup = jest.spyOn(dnsPromises, 'lookup');
    try {
      lookup.mockResolvedValue([{ address: '127.0.0.1', family: 4 }] as never);
      const policy = { ...DEFAULT_WEBHOOK_POLICY, allowHttp: true, allowNetworks: ['127.0.0.1/32'] };
      await postJson(`http://${NAME}:${port}/hook`, '{}', policy);
      expect(seen).toEqual([`${NAME}:${port}`]);
      expect(lookup).toHaveBeenCalledTimes(1);

      lookup.mockResolvedValue([{ address: '10.0.0.7', family: 4 }] as never);
      await expect(postJson(`http://${NAME}:${port}/hook`, '{}', policy)).rejects.toThrow(
        /is 10\.0\.0\.7, a loopback\/private\/special address/,
      );
      // One public and one private answer: refused (the connection could land on either).
      lookup.mockResolvedValue([
        { address: '8.8.8.8', family: 4 },
        { address: '169.254.169.254', family: 4 },
      ] as never);
      await expect(postJson(`https://${NAME}/hook`, '{}', DEFAULT_WEBHOOK_POLICY)).rejects.toThrow(/169\.254\.169\.254/);
      expect(seen).toHaveLength(1);
    } finally {
      lookup.mockRestore();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
