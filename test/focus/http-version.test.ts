import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';

/**
 * HTTP/1.0 has no chunked encoding: a streamed file ends by closing the connection, so a file cut
 * by an upstream failure would look whole. The export refuses HTTP/1.0 (a reverse proxy speaking
 * HTTP/1.0 to the gateway, nginx's default, included), before any upstream call.
 */
const stack = useStack({ now: new Date('2026-12-02T10:00:00Z') });
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer(stack.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function raw(version: string, connection = 'close'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET /export/focus.csv?billingPeriod=2026-11&grain=CHARGE HTTP/${version}\r\nHost: gateway.test\r\nConnection: ${connection}\r\n\r\n`));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('GET /export/focus.csv over HTTP/1.0', () => {
  it('is refused with 505 and a code, before any upstream call', async () => {
    const answer = await raw('1.0');
    expect(answer).toMatch(/^HTTP\/1\.[01] 505 /);
    expect(answer).toContain('"code":"HTTP_VERSION_NOT_SUPPORTED"');
    expect(stack.sim.calls()).toHaveLength(0);
    // Asking to keep the connection open changes nothing: still no chunks to show a cut.
    const kept = await raw('1.0', 'keep-alive');
    expect(kept).toMatch(/^HTTP\/1\.[01] 505 /);
  });

  it('is served over HTTP/1.1, chunked', async () => {
    const answer = await raw('1.1');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.toLowerCase()).toContain('transfer-encoding: chunked');
  });
});
