import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exactly, interceptBeforeExpress, withId } from './webhook-http.handler.js';

describe('interceptBeforeExpress', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    // The stand-in for Express: the server's own request listener, which gets everything the routes do not take.
    server = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`express ${req.method} ${req.url}`));
    interceptBeforeExpress(server, [
      { pattern: exactly('/hooks/shopify'), handle: (req, res) => res.writeHead(200).end(`shopify ${req.url}`) },
      { pattern: withId('/hooks/in'), handle: (_req, res, [id]) => res.writeHead(200).end(`source ${id}`) },
    ]);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (path: string) => fetch(`${base}${path}`, { method: 'POST', body: '{}' }).then((r) => r.text());

  it('answers POSTs to a route itself, with a trailing slash, a query or another case', async () => {
    expect(await post('/hooks/shopify')).toBe('shopify /hooks/shopify');
    expect(await post('/hooks/shopify/')).toBe('shopify /hooks/shopify/');
    expect(await post('/hooks/shopify?x=1')).toBe('shopify /hooks/shopify?x=1');
    expect(await post('/Hooks/Shopify')).toBe('shopify /Hooks/Shopify');
  });

  it('passes the id of a path/:id route', async () => {
    expect(await post('/hooks/in/8c3e2f0a-1')).toBe('source 8c3e2f0a-1');
    expect(await post('/hooks/in/abc/?q')).toBe('source abc');
  });

  it('leaves to Express every other method and path, and a path/:id route without an id or with more', async () => {
    expect(await fetch(`${base}/hooks/shopify`).then((r) => r.text())).toBe('express GET /hooks/shopify');
    expect(await post('/hooks/shopify/extra')).toBe('express POST /hooks/shopify/extra');
    expect(await post('/hooks/in')).toBe('express POST /hooks/in');
    expect(await post('/hooks/in/a/b')).toBe('express POST /hooks/in/a/b');
    expect(await post('/businesses')).toBe('express POST /businesses');
  });

  it('refuses a server whose request listener is not exactly one (Express)', () => {
    expect(() => interceptBeforeExpress(createServer(), [])).toThrow('found 0');
  });
});
