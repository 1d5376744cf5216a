/** dynalite, the local DynamoDB: persisted under the data folder, with the table created on first start. */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import { ClassicLevel } from 'classic-level';
import type { AddressInfo } from 'node:net';
// @ts-expect-error dynalite ships no types
import dynalite from 'dynalite';
import { TABLE } from '../store/table.ts';
import { SDK_OPTIONS } from '../sdk.ts';

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
  proto[SYNCED] = true;
}

export interface LocalDynamo {
  client: DynamoDBClient;
  endpoint: string;
  stop(): Promise<void>;
}

/** `path` undefined keeps everything in memory. */
export async function startDynalite(path: string | undefined): Promise<LocalDynamo> {
  if (path) syncLevelWrites();
  const server = (dynalite as (o: object) => Server)({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = localClient(endpoint);
  await ensureTable(client, TABLE_NAME);
  return {
    client,
    endpoint,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const localClient = (endpoint: string) =>
  new DynamoDBClient({ ...SDK_OPTIONS, endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

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
