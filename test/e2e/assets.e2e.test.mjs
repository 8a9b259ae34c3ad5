// The back office's files as the server sends them (#12 "Light"): precompressed brotli/gzip, hashed files cached for a
// year, index.html never cached; the login page loads no shell code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL } from './helpers.mjs';

test('hashed assets: brotli or gzip as accepted, immutable for a year; index.html no-cache', async () => {
  const html = await fetch(`${BASE_URL}/login`, { headers: { accept: 'text/html' } });
  assert.equal(html.status, 200);
  assert.equal(html.headers.get('cache-control'), 'no-cache');
  const body = await html.text();
  const scripts = [...body.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  assert.ok(scripts.length > 0, 'index.html names its scripts');
  assert.ok(!scripts.some((s) => /AppLayout/.test(s)), 'the login page does not preload the signed-in shell');
  for (const [accept, want] of [['br, gzip', 'br'], ['gzip', 'gzip'], ['identity', null]]) {
    const res = await fetch(`${BASE_URL}${scripts[0]}`, { headers: { 'accept-encoding': accept } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-encoding'), want, `${scripts[0]} with accept-encoding ${accept}`);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(res.headers.get('vary') ?? '', /accept-encoding/i);
    assert.match(await res.text(), /\S/);
  }
});
