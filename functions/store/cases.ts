/**
 * Cases and their messages in DynamoDB (dynalite locally). One conditional PutItem creates a case
 * with its first message, so a submission is durable and idempotent without transactions, which
 * dynalite lacks. Documents are JSON validated on the way out: our own table is an input too.
 */
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { createHash, randomUUID } from 'node:crypto';
import type * as z from 'zod/mini';
import { authorSchema, type StoredMessage, type Thread } from '../../shared/schemas/api.ts';
import { TABLE } from './table.ts';
import { AppError, CaseGone, ReadersChanged } from '../errors.ts';
import { caseDocSchema, CLOSED_DUE, messageDocSchema, nextDue, readersKey, type CaseDoc, type MessageDoc } from './case-doc.ts';
import { caseDeletion } from './case-deletion.ts';
import { nonceStore } from './nonces.ts';
import { queryAllItems, updateCaseIf, type QueryInput } from './items.ts';


/** The number a message got was already taken by another item: the table was written outside the counter. */
export class MessageSlotTaken extends AppError {
  constructor() {
    super('conflict', 'message-slot-taken', 'The message was not stored: its place in the case was already taken by another message. Nothing was sent; read the case again and check it.');
  }
}

/** A message id that was already used for a different message on this case. */
export class MessageIdInUse extends Error {
  override readonly name = 'MessageIdInUse';
}

export interface VersionedCase {
  doc: CaseDoc;
  /** Optimistic-locking version; pass it back to `update`. */
  version: number;
  /** Messages appended so far (the message counter), and file uploads completed so far: what `update` can insist is unchanged. */
  counts: Counts;
  activity: CaseActivity;
}

export interface Counts {
  messages: number;
  files: number;
}


export type CreateResult = { created: true } | { created: false; existing: CaseDoc };

export interface CaseStore {
  /** One conditional write. If the id is taken, returns the case that is there; never overwrites. */
  create(doc: CaseDoc, expiresAt?: number): Promise<CreateResult>;
  /** Null if there is no such case. */
  get(caseId: string): Promise<VersionedCase | null>;
  /**
   * Writes the new document if the stored version is still `version` (and, with `counts`, no
   * message was appended and no file completed since they were read); false if someone else wrote first.
   */
  update(caseId: string, version: number, doc: CaseDoc, expiresAt?: number, counts?: Counts): Promise<boolean>;
  /**
   * Takes the next sequence number atomically, then stores the message under it. Idempotent per
   * `messageId`: the same id with the same message returns what the first call stored, and never
   * stores a second copy (also when the calls run at once); the same id with another message
   * throws MessageIdInUse. With `checkedAgainst`, the number is taken only while the case's readers
   * are still those of that document (ReadersChanged otherwise). CaseGone if the case was deleted.
   */
  appendMessage(caseId: string, message: MessageDoc, messageId?: string, checkedAgainst?: CaseDoc): Promise<StoredMessage & { thread: Thread }>;
  /**
   * Counts a completed file upload, in one write that holds only while the case's readers are
   * those of `checkedAgainst` (ReadersChanged otherwise; CaseGone if it was deleted): a move or an
   * escalation that changed them meanwhile wins, and the file is refused.
   */
  fileCompleted(caseId: string, checkedAgainst: CaseDoc): Promise<void>;
  /** Puts `message` in place of the stored message `id` (a case move re-wraps its session key); false if there is no such message. */
  replaceMessage(caseId: string, id: string, message: MessageDoc['message']): Promise<boolean>;
  /** Deletes one message (the internal notes a case move leaves behind). */
  removeMessage(caseId: string, id: string): Promise<void>;
  /** Oldest first, excluding the first report (which is `doc.first`). */
  messages(caseId: string, thread?: Thread): Promise<Array<StoredMessage & { thread: Thread }>>;
  /**
   * The case, its messages and every other item under its key (file records), in one query: what
   * `get` and `messages` give, for a desk that reads hundreds of cases. `found` is null if there is no case.
   */
  whole(caseId: string): Promise<{ found: VersionedCase | null; messages: Array<StoredMessage & { thread: Thread }>; others: Array<Record<string, AttributeValue>> }>;
  /** Many case items at once (BatchGetItem, at most 100 ids): no messages, no files. Unknown ids are left out. */
  getMany(caseIds: string[]): Promise<VersionedCase[]>;
  /** The cases of a channel, soonest deadline first, closed ones last. */
  listByChannel(channel: string): Promise<CaseDoc[]>;
  /**
   * Deletes the case and every item under it. The case item becomes a tombstone first, so no
   * message, file or quota write can land on the case from then on; a write that was already past
   * its check is caught by `sweepGone`.
   */
  remove(caseId: string, now: Date): Promise<void>;
  /**
   * Deletes whatever reached a deleted case after its delete (writes that were under way), and
   * forgets tombstones older than a day, when nothing can still be under way. Returns the case ids
   * it looked at, whose files the caller deletes again.
   */
  sweepGone(now: Date): Promise<string[]>;
  /** Indexes the case under an escalation target, so that target's key can list it. Idempotent. */
  markEscalated(caseId: string, targetId: string): Promise<void>;
  /** The cases escalated to a target. */
  listEscalated(targetId: string): Promise<CaseDoc[]>;
  /**
   * Records a request nonce; false if it was seen before (a replay). The item expires by TTL in AWS;
   * the timestamp window makes old nonces worthless anyway.
   */
  rememberNonce(nonce: string, expiresAt: number): Promise<boolean>;
  /** Deletes remembered nonces that expired before `now` (epoch seconds): dynalite has no TTL. Returns how many. */
  sweepNonces(now: number): Promise<number>;
  /** Like `listByChannel`, with each case's message counts and latest authors (for the officer's listing). */
  listByChannelWithActivity(channel: string): Promise<ListedCase[]>;
  /**
   * The open cases of a channel with something from the reporter (the report, a message) that no
   * notice mail has announced yet, each with how many such items it has in all (pass it to `markNoticed`).
   */
  unnoticed(channel: string): Promise<Array<{ caseId: string; reporterItems: number }>>;
  /** Records that a notice announced the case's first `reporterItems` items; never lowers what is recorded. */
  markNoticed(caseId: string, reporterItems: number): Promise<void>;
  /** Like `listEscalated`, with activity. */
  listEscalatedWithActivity(targetId: string): Promise<ListedCase[]>;
}

/** Who wrote last on a thread, and when. */
export interface LastMessage {
  author: z.infer<typeof authorSchema>;
  day: string;
}

/** Counts and latest authors per thread, kept on the case item by `appendMessage`. */
export interface CaseActivity {
  /** Messages on the reporter's conversation, the report included. */
  caseMessages: number;
  escalationMessages: number;
  lastOnCase: LastMessage | null;
  lastOnEscalation: LastMessage | null;
}

export interface ListedCase {
  doc: CaseDoc;
  activity: CaseActivity;
}


const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });
const msgKey = (seq: number) => `msg#${String(seq).padStart(6, '0')}`;
const ACTIVITY = {
  case: { count: 'nCase', last: 'lastCase' },
  clb: { count: 'nClb', last: 'lastClb' },
  internal: { count: 'nInt', last: 'lastInt' },
} as const;
/**
 * Notices (services/notices.ts): `nRep` counts the reporter's messages after the report, `noticed`
 * how many of the reporter's items (the report included) a notice mail has announced.
 */
const REPORTER_MESSAGES = 'nRep';
const NOTICED = 'noticed';

function lastOf(value: AttributeValue | undefined): LastMessage | null {
  const [author, day] = (value?.S ?? '').split(' ');
  const parsed = authorSchema.safeParse(author);
  return parsed.success && day ? { author: parsed.data, day } : null;
}

function activityOf(item: Record<string, AttributeValue>, doc: CaseDoc): CaseActivity {
  const count = (name: string) => Number(item[name]?.N ?? 0);
  return {
    caseMessages: 1 + count(ACTIVITY.case.count),
    escalationMessages: count(ACTIVITY.clb.count),
    lastOnCase: lastOf(item[ACTIVITY.case.last]) ?? { author: 'reporter', day: doc.receivedOn },
    lastOnEscalation: lastOf(item[ACTIVITY.clb.last]),
  };
}

const countsOf = (item: Record<string, AttributeValue>): Counts => ({ messages: Number(item.seq?.N ?? 0), files: Number(item.fseq?.N ?? 0) });

const messageOf = (item: Record<string, AttributeValue>) => ({ id: String(Number(item.sk!.S!.slice(4))), ...messageDocSchema.parse(JSON.parse(item.doc!.S!)) });

export function dynamoCaseStore(db: DynamoDBClient, tableName: string): CaseStore {
  const caseItem = (doc: CaseDoc, expiresAt?: number): Record<string, AttributeValue> => ({
    pk: S(doc.caseId),
    sk: S('case'),
    channel: S(doc.channel),
    due: S(nextDue(doc)),
    doc: S(JSON.stringify(doc)),
    rk: S(readersKey(doc)),
    ...(expiresAt ? { [TABLE.ttlAttribute]: N(expiresAt) } : {}),
  });
  const readDoc = (item: Record<string, AttributeValue>) => caseDocSchema.parse(JSON.parse(item.doc!.S!));
  const queryAll = (input: QueryInput) => queryAllItems(db, input);



  return {
    ...nonceStore(db, tableName),
    ...caseDeletion(db, tableName),

    async create(doc, expiresAt) {
      try {
        await db.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { ...caseItem(doc, expiresAt), v: N(1), seq: N(0) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { created: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const existing = await this.get(doc.caseId);
        if (!existing) throw new CaseGone();
        return { created: false, existing: existing.doc };
      }
    },

    async get(caseId) {
      const out = await db.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: S(caseId), sk: S('case') }, ConsistentRead: true }),
      );
      if (!out.Item?.doc) return null;
      const doc = readDoc(out.Item);
      return { doc, version: Number(out.Item.v?.N ?? 0), counts: countsOf(out.Item), activity: activityOf(out.Item, doc) };
    },

    async update(caseId, version, doc, expiresAt, counts) {
      const ttl = expiresAt ? `, ${TABLE.ttlAttribute} = :ttl` : '';
      const unchanged = counts
        ? ` AND seq = :seq AND ${counts.files === 0 ? 'attribute_not_exists(fseq)' : 'fseq = :fseq'}`
        : '';
      try {
        await db.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: S(caseId), sk: S('case') },
            // The channel attribute keys the channel index: a moved case is listed under its new channel.
            UpdateExpression: `SET #doc = :doc, #due = :due, #ch = :ch, rk = :rk, v = :next${ttl}`,
            ConditionExpression: `v = :v${unchanged}`,
            ExpressionAttributeNames: { '#doc': 'doc', '#due': 'due', '#ch': 'channel' },
            ExpressionAttributeValues: {
              ':doc': S(JSON.stringify(doc)),
              ':ch': S(doc.channel),
              ':due': S(nextDue(doc)),
              ':v': N(version),
              ':next': N(version + 1),
              ':rk': S(readersKey(doc)),
              ...(counts ? { ':seq': N(counts.messages) } : {}),
              ...(counts && counts.files > 0 ? { ':fseq': N(counts.files) } : {}),
              ...(expiresAt ? { ':ttl': N(expiresAt) } : {}),
            },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async appendMessage(caseId, message, messageId = randomUUID(), checkedAgainst) {
      // Which message an id stands for: not the day, so a retry tomorrow is still the same message.
      const digest = createHash('sha256').update(`${message.author}\n${message.thread}\n${message.message}`).digest('hex');
      const names = { '#count': ACTIVITY[message.thread].count, '#last': ACTIVITY[message.thread].last, '#mseq': `mseq#${messageId}`, '#mdig': `mdig#${messageId}` };
      let seq: number;
      try {
        const counted = await db.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: S(caseId), sk: S('case') },
            // The counter, the id's claim on its number, and the thread's count and latest author, in one conditional write.
            UpdateExpression: `SET seq = seq + :one, #mseq = seq + :one, #mdig = :dig, #last = :last ADD #count :one${message.author === 'reporter' ? `, ${REPORTER_MESSAGES} :one` : ''}`,
            ConditionExpression: `attribute_exists(#doc) AND attribute_not_exists(#mseq)${checkedAgainst ? ' AND (attribute_not_exists(rk) OR rk = :rk)' : ''}`,
            ExpressionAttributeNames: { ...names, '#doc': 'doc' },
            ExpressionAttributeValues: {
              ':one': N(1),
              ':dig': S(digest),
              ':last': S(`${message.author} ${message.day}`),
              ...(checkedAgainst ? { ':rk': S(readersKey(checkedAgainst)) } : {}),
            },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        seq = Number(counted.Attributes!.seq!.N);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const out = await db.send(new GetItemCommand({ TableName: tableName, Key: { pk: S(caseId), sk: S('case') }, ConsistentRead: true }));
        const claimed = out.Item?.[names['#mseq']]?.N;
        if (!out.Item?.doc) throw new CaseGone();
        if (claimed === undefined) {
          if (checkedAgainst && out.Item.rk && out.Item.rk.S !== readersKey(checkedAgainst)) throw new ReadersChanged();
          throw error;
        }
        if (out.Item[names['#mdig']]?.S !== digest) throw new MessageIdInUse('this message id was used for another message');
        seq = Number(claimed);
      }
      try {
        await db.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { pk: S(caseId), sk: S(msgKey(seq)), doc: S(JSON.stringify(message)) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { id: String(seq), ...message };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // A retry of a message that is already stored: answer with what is there. Anything else
        // under its number (an item the counter never gave out) must not pass for this message.
        const out = await db.send(new GetItemCommand({ TableName: tableName, Key: { pk: S(caseId), sk: S(msgKey(seq)) }, ConsistentRead: true }));
        const there = messageDocSchema.parse(JSON.parse(out.Item!.doc!.S!));
        if (there.message !== message.message || there.author !== message.author || there.thread !== message.thread) throw new MessageSlotTaken();
        return { id: String(seq), ...there };
      }
    },

    async fileCompleted(caseId, checkedAgainst) {
      const counted = await updateCaseIf(db, tableName, caseId, {
        update: 'ADD fseq :one',
        condition: 'attribute_exists(#doc) AND (attribute_not_exists(rk) OR rk = :rk)',
        names: { '#doc': 'doc' },
        values: { ':one': N(1), ':rk': S(readersKey(checkedAgainst)) },
      });
      if (counted) return;
      if (!(await this.get(caseId))) throw new CaseGone();
      throw new ReadersChanged();
    },

    async replaceMessage(caseId, id, message) {
      const key = { pk: S(caseId), sk: S(msgKey(Number(id))) };
      const out = await db.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      if (!out.Item) return false;
      const doc = { ...messageDocSchema.parse(JSON.parse(out.Item.doc!.S!)), message };
      await db.send(new PutItemCommand({ TableName: tableName, Item: { ...out.Item, doc: S(JSON.stringify(doc)) } }));
      return true;
    },

    async removeMessage(caseId, id) {
      await db.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: S(caseId), sk: S(msgKey(Number(id))) } }));
    },

    async messages(caseId, thread) {
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
        ExpressionAttributeValues: { ':pk': S(caseId), ':msg': S('msg#') },
        ConsistentRead: true,
      });
      return items.map(messageOf).filter((m) => thread === undefined || m.thread === thread);
    },

    async getMany(caseIds) {
      const found: VersionedCase[] = [];
      let keys: Array<Record<string, AttributeValue>> = caseIds.map((id) => ({ pk: S(id), sk: S('case') }));
      for (let round = 0; keys.length > 0; round++) {
        if (round > 0) await new Promise((ok) => setTimeout(ok, 20 * 2 ** Math.min(round, 6)));
        const out = await db.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of (out.Responses?.[tableName] ?? []).filter((i) => i.doc)) {
          const doc = readDoc(item);
          found.push({ doc, version: Number(item.v?.N ?? 0), counts: countsOf(item), activity: activityOf(item, doc) });
        }
        keys = (out.UnprocessedKeys?.[tableName]?.Keys as typeof keys | undefined) ?? [];
      }
      return found;
    },

    async whole(caseId) {
      const items = await queryAll({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': S(caseId) }, ConsistentRead: true });
      const item = items.find((i) => i.sk?.S === 'case');
      if (!item?.doc) return { found: null, messages: [], others: [] };
      const doc = readDoc(item);
      return {
        found: { doc, version: Number(item.v?.N ?? 0), counts: countsOf(item), activity: activityOf(item, doc) },
        messages: items.filter((i) => i.sk?.S?.startsWith('msg#')).map(messageOf),
        others: items.filter((i) => i.sk?.S !== 'case' && !i.sk?.S?.startsWith('msg#')),
      };
    },

    async listByChannel(channel) {
      return (await this.listByChannelWithActivity(channel)).map((c) => c.doc);
    },

    async listByChannelWithActivity(channel) {
      const items = await queryAll({
        TableName: tableName,
        IndexName: TABLE.byChannel.name,
        KeyConditionExpression: 'channel = :c',
        ExpressionAttributeValues: { ':c': S(channel) },
      });
      return items.map((item) => {
        const doc = readDoc(item);
        return { doc, activity: activityOf(item, doc) };
      });
    },

    async unnoticed(channel) {
      const items = await queryAll({
        TableName: tableName,
        IndexName: TABLE.byChannel.name,
        KeyConditionExpression: 'channel = :c',
        ProjectionExpression: `pk, due, ${REPORTER_MESSAGES}, ${NOTICED}`,
        ExpressionAttributeValues: { ':c': S(channel) },
      });
      return items
        .filter((item) => !item.due?.S?.startsWith(CLOSED_DUE))
        .map((item) => ({ caseId: item.pk!.S!, reporterItems: 1 + Number(item[REPORTER_MESSAGES]?.N ?? 0), noticed: Number(item[NOTICED]?.N ?? 0) }))
        .filter((c) => c.reporterItems > c.noticed)
        .map(({ caseId, reporterItems }) => ({ caseId, reporterItems }));
    },

    async markNoticed(caseId, reporterItems) {
      // Deleted meanwhile, or a later notice already recorded more: nothing to do.
      await updateCaseIf(db, tableName, caseId, {
        update: `SET ${NOTICED} = :n`,
        condition: `attribute_exists(doc) AND (attribute_not_exists(${NOTICED}) OR ${NOTICED} < :n)`,
        values: { ':n': N(reporterItems) },
      });
    },

    async markEscalated(caseId, targetId) {
      await db.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { pk: S(caseId), sk: S(`esc#${targetId}`), channel: S(`esc#${targetId}`), due: S(caseId) },
        }),
      );
    },

    async listEscalated(targetId) {
      return (await this.listEscalatedWithActivity(targetId)).map((c) => c.doc);
    },

    async listEscalatedWithActivity(targetId) {
      const markers = await queryAll({
        TableName: tableName,
        IndexName: TABLE.byChannel.name,
        KeyConditionExpression: 'channel = :c',
        ExpressionAttributeValues: { ':c': S(`esc#${targetId}`) },
      });
      const listed = await Promise.all(
        markers.map(async (marker) => {
          const out = await db.send(new GetItemCommand({ TableName: tableName, Key: { pk: marker.pk!, sk: S('case') }, ConsistentRead: true }));
          if (!out.Item?.doc) return null;
          const doc = readDoc(out.Item);
          return { doc, activity: activityOf(out.Item, doc) };
        }),
      );
      return listed.filter((c): c is ListedCase => c !== null);
    },


  };
}
