/**
 * The server's record of each evidence file: which case and thread it belongs to, who declared it,
 * how large it may be, and how far its upload got. One item per file beside the case
 * (`pk` = case id, `sk` = `file#<id>`), so deleting a case deletes its records too.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { authorSchema, threadSchema } from '../../shared/schemas/api.ts';
import { CaseGone } from '../errors.ts';
import { queryAllItems, updateCaseIf } from './items.ts';
import { daySchema, fileIdSchema } from '../../shared/schemas/primitives.ts';

export const fileRecordSchema = z.object({
  fileId: fileIdSchema,
  thread: threadSchema,
  author: authorSchema,
  /** The size the uploader declared for the original; the encrypted object may be a little larger. */
  declaredBytes: z.int().check(z.minimum(0)),
  state: z.enum(['declared', 'uploading', 'complete']),
  uploadId: z.nullable(z.string()),
  storedBytes: z.nullable(z.int()),
  /** The day it was declared: an upload not complete a day later is removed. */
  day: daySchema,
  /**
   * Set when the case moved to another channel: base64 session key packets for the new readers,
   * which replace the first `skip` bytes of the stored object (the old ones) when it is read.
   */
  header: z._default(z.nullable(z.string()), null),
  skip: z._default(z.nullable(z.int().check(z.minimum(0))), null),
  /** The seal its sender finished the upload with (base64url, encrypted with the file's session key). */
  seal: z._default(z.nullable(z.string()), null),
});
export type FileRecord = z.infer<typeof fileRecordSchema>;

/** A file id that is already declared on the case, for another file. */
export class FileIdInUse extends Error {
  override readonly name = 'FileIdInUse';
}

export interface FileStore {
  /**
   * Records new files. Idempotent: a record that exists with the same thread, author and size is
   * left as it is (a retried message); one that differs throws FileIdInUse, after removing the
   * records this call made. Returns the ids this call recorded.
   */
  declare(caseId: string, records: FileRecord[]): Promise<Set<string>>;
  /**
   * Adds `bytes` to the case's declared total in one conditional write, if the total stays within
   * `max`; false if it would not; throws CaseGone if the case was deleted. A case from before the total was kept
   * starts from `base`, the sum of its records.
   */
  reserve(caseId: string, bytes: number, base: number, max: number): Promise<boolean>;
  /** Takes `bytes` off the case's declared total (files undeclared or removed). */
  release(caseId: string, bytes: number): Promise<void>;
  /** Null if the case has no such file. */
  get(caseId: string, fileId: string): Promise<FileRecord | null>;
  list(caseId: string): Promise<FileRecord[]>;
  put(caseId: string, record: FileRecord): Promise<void>;
  remove(caseId: string, fileId: string): Promise<void>;
  /** The file records among items read with the case (`CaseStore.whole`). */
  fromItems(items: Array<Record<string, AttributeValue>>): FileRecord[];
}

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });
/** The case item's total of declared file bytes, which the quota is checked against in one write. */
const FILE_BYTES = 'fileBytes';
const key = (caseId: string, fileId: string) => ({ pk: S(caseId), sk: S(`file#${fileId}`) });

export function dynamoFileStore(db: DynamoDBClient, tableName: string): FileStore {
  const read = (item: Record<string, AttributeValue>) => fileRecordSchema.parse(JSON.parse(item.doc!.S!));
  return {
    async declare(caseId, records) {
      const created = new Set<string>();
      for (const record of records) {
        try {
          await db.send(
            new PutItemCommand({
              TableName: tableName,
              Item: { ...key(caseId, record.fileId), doc: S(JSON.stringify(record)) },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          created.add(record.fileId);
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          const existing = await this.get(caseId, record.fileId);
          if (!existing || existing.thread !== record.thread || existing.author !== record.author || existing.declaredBytes !== record.declaredBytes) {
            for (const fileId of created) await this.remove(caseId, fileId);
            throw new FileIdInUse('this file id is taken on this case');
          }
        }
      }
      return created;
    },
    async reserve(caseId, bytes, base, max) {
      const reserved = await updateCaseIf(db, tableName, caseId, {
        update: 'SET #fb = if_not_exists(#fb, :base) + :n',
        condition: 'attribute_exists(#doc) AND ((attribute_not_exists(#fb) AND :base <= :room) OR #fb <= :room)',
        names: { '#fb': FILE_BYTES, '#doc': 'doc' },
        values: { ':n': N(bytes), ':base': N(base), ':room': N(max - bytes) },
      });
      if (!reserved && !(await db.send(new GetItemCommand({ TableName: tableName, Key: { pk: S(caseId), sk: S('case') }, ConsistentRead: true }))).Item?.doc) {
        throw new CaseGone();
      }
      return reserved;
    },
    async release(caseId, bytes) {
      // A case that is gone, or keeps no total, has nothing to give back.
      if (bytes > 0) await updateCaseIf(db, tableName, caseId, { update: 'SET #fb = #fb - :n', condition: 'attribute_exists(#fb)', names: { '#fb': FILE_BYTES }, values: { ':n': N(bytes) } });
    },
    async get(caseId, fileId) {
      const out = await db.send(new GetItemCommand({ TableName: tableName, Key: key(caseId, fileId), ConsistentRead: true }));
      return out.Item ? read(out.Item) : null;
    },
    async list(caseId) {
      const items = await queryAllItems(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :f)',
        ExpressionAttributeValues: { ':pk': S(caseId), ':f': S('file#') },
        ConsistentRead: true,
      });
      return items.map(read);
    },
    fromItems(items) {
      return items.filter((i) => i.sk?.S?.startsWith('file#')).map(read);
    },
    async remove(caseId, fileId) {
      await db.send(new DeleteItemCommand({ TableName: tableName, Key: key(caseId, fileId) }));
    },

    async put(caseId, record) {
      await db.send(new PutItemCommand({ TableName: tableName, Item: { ...key(caseId, record.fileId), doc: S(JSON.stringify(record)) } }));
    },
  };
}
