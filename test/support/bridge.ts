/** A TCP port on 127.0.0.1 in front of a stand-in's socket, for code that only takes a URL (a bundled function's AWS_ENDPOINT_URL_*). */
import { connect, createServer, type AddressInfo } from 'node:net';

export interface Bridge {
  /** `http://127.0.0.1:port` */
  url: string;
  close(): Promise<void>;
}

export async function tcpBridge(socketPath: string): Promise<Bridge> {
  const server = createServer((client) => {
    const upstream = connect(socketPath);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
