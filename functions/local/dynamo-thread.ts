/** The worker of startDynalite `{ thread: true }`: dynalite on this thread, its port sent back; 'close' closes it, 'compact' compacts its files. */
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { compactLevel, serveDynalite } from './dynamo.ts';

const port = parentPort!;
const server = serveDynalite((workerData as { path: string | undefined }).path);
server.listen(0, '127.0.0.1', () => port.postMessage({ port: (server.address() as AddressInfo).port }));
port.on('message', (m: unknown) => {
  if (m === 'close') server.close(() => port.postMessage('closed'));
  if (m === 'compact') void compactLevel().then(() => port.postMessage('compacted'));
});
