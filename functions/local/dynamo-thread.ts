/** The worker of startDynalite `{ thread: true }`: dynalite on this thread, on the socket it is given, saying when it listens; 'close' closes it, 'compact' compacts its files. */
import { parentPort, workerData } from 'node:worker_threads';
import { compactLevel, serveDynalite } from './dynamo.ts';

const port = parentPort!;
const { path, socketPath } = workerData as { path: string | undefined; socketPath: string };
const server = serveDynalite(path);
server.listen(socketPath, () => port.postMessage('listening'));
port.on('message', (m: unknown) => {
  if (m === 'close') server.close(() => port.postMessage('closed'));
  if (m === 'compact') void compactLevel().then(() => port.postMessage('compacted'));
});
