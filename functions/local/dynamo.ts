/** dynalite, the local DynamoDB: persisted under the data folder, with the table created on first start. */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ClassicLevel } from 'classic-level';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
// @ts-expect-error dynalite ships no types
import dynalite from 'dynalite';
import { TABLE } from '../store/table.ts';
import { SDK_OPTIONS } from '../sdk.ts';
import { socketFolder, socketHandler } from './sockets.ts';

export const TABLE_NAME = 'meldpunt';

type Write = (this: unknown, ...args: unknown[]) => Promise<unknown>;
const SYNCED = Symbol.for('meldpunt.syncedWrites');

/**
 * dynalite writes to LevelDB without `sync`, so an acknowledged write may sit in the OS cache and
 * be lost on power failure. LevelDB's own answer is a synced write (fsync of its log before the
 * write returns); dynalite has no option for it, so every put, del and batch of its on-disk store
 * asks for one here. Memory-only tables are not affected.
 */
export function syncLevelWrites(): void {
  const proto = ClassicLevel.prototype as unknown as Record<string | symbol, unknown>;
  if (proto[SYNCED]) return;
  for (const [method, optionsAt] of [['_put', 2], ['_del', 1], ['_batch', 1]] as const) {
    const original = proto[method] as Write;
    proto[method] = function (this: unknown, ...args: unknown[]) {
      args[optionsAt] = { ...(args[optionsAt] as object | undefined), sync: true };
      return original.apply(this, args);
    };
  }
  // Known open databases, for `compactLevel`.
  const open = proto._open as Write;
  proto._open = async function (this: ClassicLevel, ...args: unknown[]) {
    await open.apply(this, args);
    OPEN.add(this);
  };
  const close = proto._close as Write;
  proto._close = function (this: ClassicLevel, ...args: unknown[]) {
    OPEN.delete(this);
    return close.apply(this, args);
  };
  proto._iterator = closingIterators(proto._iterator as Write);
  proto[SYNCED] = true;
}

const OPEN = new Set<ClassicLevel>();
/** An iterator not read for this long has been abandoned by its query (generous: a busy machine must never close one still in use). */
const ABANDONED_MS = 60_000;

interface NativeIterator {
  _next(): Promise<unknown>;
  _nextv(size: number, options: unknown): Promise<unknown[]>;
  close(): Promise<void>;
}

/**
 * dynalite's queries read LevelDB through iterators they never close (its streams call an
 * `iterator.return` that abstract-level iterators lack), and each open iterator pins a snapshot:
 * LevelDB then keeps every version written after it, deleted ones included, for as long as the
 * process runs. Here an iterator closes itself when it reaches its end, or when its query stops
 * reading it for ABANDONED_MS.
 */
function closingIterators(create: Write): Write {
  return function (this: unknown, ...args: unknown[]) {
    const iterator = (create as unknown as (...a: unknown[]) => NativeIterator).apply(this, args);
    let idle: NodeJS.Timeout | undefined;
    const close = () => {
      clearTimeout(idle);
      void iterator.close().catch(() => undefined);
    };
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(close, ABANDONED_MS).unref();
    };
    const next = iterator._next.bind(iterator);
    const nextv = iterator._nextv.bind(iterator);
    iterator._next = async () => {
      touch();
      const value = await next();
      if (value === undefined) close();
      return value;
    };
    iterator._nextv = async (size, options) => {
      touch();
      const values = await nextv(size, options);
      if (values.length === 0) close();
      return values;
    };
    touch();
    return iterator as never;
  } as Write;
}

/** Keys below and above every key dynalite writes (its keys are text, never 0x00 or 0xff first). */
const LOW = Buffer.from([0x00]);
const HIGH = Buffer.alloc(8, 0xff);
const BUFFER = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as never;

/**
 * LevelDB keeps a deleted value in its files until a compaction merges it with the delete, at the
 * deepest level: a deleted case, its locked reporter key and its report ciphertext would stay on
 * disk. LevelDB's CompactRange only merges a level into the one below it, down to the deepest level
 * that already had files when it was called, so data flushed straight to that level is never
 * merged. Hence: flush what is in memory, then write and delete two keys outside dynalite's
 * (below and above all of them) and compact again: their file overlaps every other, so every
 * level is merged down and what was deleted is dropped. Called after every delete.
 */
export async function compactLevel(): Promise<void> {
  for (const db of OPEN) {
    await db.compactRange(LOW, HIGH, BUFFER);
    for (const key of [LOW, HIGH]) await db.put(key, Buffer.alloc(0), BUFFER);
    for (const key of [LOW, HIGH]) await db.del(key, BUFFER);
    await db.compactRange(LOW, HIGH, BUFFER);
  }
}

export interface LocalDynamo {
  client: DynamoDBClient;
  /** The socket dynalite listens on (functions/local/sockets.ts): no TCP port. */
  socketPath: string;
  /** Compacts the table's files on disk, so deleted items are gone from them too (see compactLevel). */
  compact(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * dynalite's HTTP server, not yet listening; on disk under `path` with synced writes, or in memory.
 *
 * dynalite throws from a request's 'error' event, which a request cut off midway emits: one such
 * request ended the whole process. Here such a request is just closed.
 */
export function serveDynalite(path: string | undefined): Server {
  if (path) syncLevelWrites();
  const server = (dynalite as (o: object) => Server)({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const [handle] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle!(req, res);
    req.removeAllListeners('error');
    req.on('error', () => res.destroy());
  });
  return server;
}

/**
 * `path` undefined keeps everything in memory. `thread` runs dynalite on a worker thread of its
 * own (functions/local/dynamo-thread.ts), so the stack's request handling and the table's work
 * do not take turns on one event loop, as they do not in AWS: on two cores `npm run bench`'s ratio
 * went from 0.31–0.33 to 0.34. It costs about half a second to start, which most tests skip.
 * `socketPath` is where it listens; without one, in a private folder of its own.
 */
export async function startDynalite(path: string | undefined, options: { thread?: boolean; socketPath?: string } = {}): Promise<LocalDynamo> {
  const folder = options.socketPath ? null : socketFolder();
  const socketPath = options.socketPath ?? folder!.path('dynamodb');
  const served = await (options.thread ? serveOnThread(path, socketPath) : serveHere(path, socketPath)).catch((error: unknown) => {
    folder?.remove();
    throw error;
  });
  const client = localClient(socketPath);
  const stop = async () => {
    client.destroy();
    await served.stop();
    folder?.remove();
  };
  try {
    await ensureTable(client, TABLE_NAME);
  } catch (error) {
    await stop();
    throw error;
  }
  return { client, socketPath, compact: served.compact, stop };
}

type Served = { compact(): Promise<void>; stop(): Promise<void> };

async function serveHere(path: string | undefined, socketPath: string): Promise<Served> {
  const server = serveDynalite(path);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  return { compact: compactLevel, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function serveOnThread(path: string | undefined, socketPath: string): Promise<Served> {
  // The worker loads TypeScript through tsx's loader, registered in it first: under `npm start`
  // and under vitest alike (a worker does not inherit vitest's).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./dynamo-thread.ts', import.meta.url).href;
  const boot = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(entry)});`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: { path, socketPath } });
  let fail: (error: unknown) => void = () => {};
  await new Promise<void>((resolve, reject) => {
    fail = reject;
    worker.once('message', () => resolve());
    worker.on('error', (error) => fail(error));
    worker.once('exit', (code) => fail(new Error(`the DynamoDB stand-in stopped (exit code ${code})`)));
  });
  // From here on, dynalite failing is what an uncaught error in it was before it had a thread: the end of the process.
  fail = (error) => {
    throw error;
  };
  // One request at a time: each waits for the answer it asked for.
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (what: 'compact' | 'close') =>
    (queue = queue.then(() => {
      const answered = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage(what);
      return answered;
    }));
  return {
    compact: async () => void (await ask('compact')),
    stop: async () => {
      fail = () => {};
      const closed = ask('close');
      await closed;
      await worker.terminate();
    },
  };
}

/** A client of the dynalite on `socketPath` (the URL's host is not dialled). */
export const localClient = (socketPath: string) =>
  new DynamoDBClient({
    ...SDK_OPTIONS,
    endpoint: 'http://localhost',
    requestHandler: socketHandler(socketPath),
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** Creates the table if it is missing, and returns once it is ACTIVE (dynalite answers "not found" while CREATING). */
export async function ensureTable(client: DynamoDBClient, name: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await createTable(client, name);
  }
  for (let i = 0; i < 100; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`table ${name} did not become active`);
}

async function createTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE.sortKey, AttributeType: 'S' },
        { AttributeName: TABLE.byChannel.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE.byChannel.sortKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: TABLE.byChannel.name,
          KeySchema: [
            { AttributeName: TABLE.byChannel.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE.byChannel.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
}
