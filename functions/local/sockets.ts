/**
 * Where the stand-ins listen: on sockets in a folder only this user can open, not on TCP ports.
 *
 * dynalite, s3rver and aws-ses-v2-local check no signature, and dynalite even answers any web
 * page's CORS preflight. On a TCP port of 127.0.0.1 any program on the machine, any other user and
 * any page in a browser on it (a form, an image, a name pointed at 127.0.0.1) could read or delete
 * every report or stop the stack. A socket file in a 0700 folder can be opened by this user's own
 * processes alone, and by no browser at all. The AWS SDK clients reach it through an agent that
 * connects there whatever the URL's host.
 */
import { Agent } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** A private folder for sockets (mkdtemp makes it 0700), under the system's temporary folder: a socket's path may be only about 100 bytes long. */
export function socketFolder(): { path(name: string): string; remove(): void } {
  if (process.platform === 'win32') {
    // Named pipes have no folder; an unguessable name stands in for it.
    const prefix = `\\\\.\\pipe\\meldpunt-${randomBytes(16).toString('hex')}`;
    return { path: (name) => `${prefix}-${name}`, remove: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'meldpunt-'));
  return { path: (name) => join(dir, `${name}.sock`), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An HTTP agent whose every connection goes to `socketPath`, with keep-alive. */
export class SocketAgent extends Agent {
  constructor(readonly socketPath: string) {
    super({ keepAlive: true, maxSockets: 50 });
  }

  override createConnection() {
    return connect(this.socketPath);
  }
}

/** The SDK's request handler for a stand-in on `socketPath`. */
export const socketHandler = (socketPath: string) => new NodeHttpHandler({ httpAgent: new SocketAgent(socketPath) });
