/**
 * Attack: open connections and send nothing, or too many at once. Idle connections are closed
 * after the idle time, connections beyond the limit are refused, and the server keeps answering.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../functions/local/server.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
const limits = { idleMs: 400, maxConnections: 20 };
beforeAll(async () => {
  stack = await startStack({ limits });
});
afterAll(() => stack?.stop());

function open(url: string): Promise<Socket> {
  const { port } = new URL(url);
  return new Promise((ok, fail) => {
    const socket = connect(Number(port), '127.0.0.1', () => ok(socket));
    socket.once('error', fail);
  });
}

const closed = (socket: Socket) => new Promise<number>((ok) => {
  const start = Date.now();
  if (socket.destroyed) return ok(0);
  socket.once('close', () => ok(Date.now() - start));
});

describe('idle and excess connections', () => {
  it('has limits by default', () => {
    expect(DEFAULT_LIMITS.idleMs).toBeGreaterThan(0);
    expect(DEFAULT_LIMITS.maxConnections).toBeGreaterThan(0);
  });

  it('closes a connection that sends nothing, and one left idle after a request', async () => {
    const silent = await open(stack.url);
    silent.on('error', () => undefined);
    const waited = await Promise.race([closed(silent), new Promise<number>((ok) => setTimeout(() => ok(-1), 5_000))]);
    expect(waited).toBeGreaterThanOrEqual(0);

    const keptAlive = await open(stack.url);
    keptAlive.on('error', () => undefined);
    keptAlive.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    const answer = await new Promise<string>((ok) => keptAlive.once('data', (d) => ok(String(d))));
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    const after = await Promise.race([closed(keptAlive), new Promise<number>((ok) => setTimeout(() => ok(-1), 5_000))]);
    expect(after).toBeGreaterThanOrEqual(0);
  });

  it('refuses connections beyond the limit and still answers once they are gone', async () => {
    const held: Socket[] = [];
    for (let i = 0; i < limits.maxConnections + 5; i++) {
      const s = await open(stack.url);
      s.on('error', () => undefined);
      held.push(s);
    }
    // The extra ones are dropped straight away.
    await new Promise((r) => setTimeout(r, 100));
    expect(held.filter((s) => s.destroyed || s.readableEnded).length).toBeGreaterThanOrEqual(5);
    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`${stack.url}/api/health`)).status).toBe(200);
  });
});
