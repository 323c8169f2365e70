import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ownHosts } from '../../../src/emulator/gateway/gate';

// The Host values a listener answers (Q25), in the cases the HTTP tests cannot reach: port 80, where HTTP
// leaves the port out, and an emulator bound to an address other than 127.0.0.1.

describe('[Q25] own Host names', () => {
  it('[Q25] loopback names with the port, the bound address, no port only on port 80', () => {
    assert.deepEqual([...ownHosts(8080, '127.0.0.1')].sort(), ['127.0.0.1:8080', '[::1]:8080', 'localhost:8080']);
    assert.deepEqual([...ownHosts(8080, '::1')].sort(), ['127.0.0.1:8080', '[::1]:8080', 'localhost:8080']);
    assert.ok(ownHosts(8080, '192.0.2.7').has('192.0.2.7:8080'), 'the address an endpoint names when bound elsewhere');
    const http = ownHosts(80, '127.0.0.1');
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '127.0.0.1:80']) assert.ok(http.has(host), host);
    assert.equal(ownHosts(8080, '127.0.0.1').has('localhost'), false);
  });

  it('[Q25] a name given for a proxied client is its own too, and nothing else is', () => {
    const hosts = ownHosts(8080, '127.0.0.1', ['ModelArts.Proxy-Check.invalid']);
    assert.ok(hosts.has('modelarts.proxy-check.invalid:8080'));
    assert.equal(hosts.has('evil.example:8080'), false);
    assert.equal(ownHosts(8080, '127.0.0.1').has('modelarts.proxy-check.invalid:8080'), false, 'only when given');
  });
});
