/** aws-ses-v2-local: a local SES whose web page shows every mail sent. */
import { SESClient } from '@aws-sdk/client-ses';
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';
import { SDK_OPTIONS } from '../sdk.ts';

export interface LocalMail {
  client: SESClient;
  /** The web view of sent mail; `${url}/store` lists it as JSON. */
  url: string;
  stop(): Promise<void>;
}

export async function startSesLocal(port: number): Promise<LocalMail> {
  // The package is CommonJS; from ESM its function sits on `.default` (STACK-NOTES).
  const start = ((sesLocal as unknown as { default?: typeof sesLocal }).default ?? sesLocal) as typeof sesLocal;
  const server = await start({ host: '127.0.0.1', port });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SESClient({ ...SDK_OPTIONS, endpoint: url, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    client,
    url,
    stop: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
