/**
 * Deleting a case whole: the case item becomes a tombstone in one write (`channel` = `gone#`, `due`
 * = the time of the delete, nothing of the case), so every write that checks the case fails from
 * then on; then every other item goes. `sweepGone` deletes what writes under way at the delete left
 * behind it, and forgets a tombstone after a day.
 */
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CaseStore } from './cases.ts';
import { queryAllItems } from './items.ts';
import { TABLE } from './table.ts';

/** Index partition of deleted cases' tombstones, sorted by the time of the delete. */
const GONE = 'gone#';
const DAY_SECONDS = 24 * 60 * 60;
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
const S = (s: string): AttributeValue => ({ S: s });

export function caseDeletion(db: DynamoDBClient, tableName: string): Pick<CaseStore, 'remove' | 'sweepGone'> {
  const queryAll = (input: Parameters<typeof queryAllItems>[1]) => queryAllItems(db, input);
  /** Deletes every item under `caseId` but the case item (or its tombstone). */
  async function removeUnder(caseId: string) {
    const items = await queryAll({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': S(caseId) },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    for (const item of items.filter((i) => i.sk!.S !== 'case')) {
      await db.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: item.pk!, sk: item.sk! } }));
    }
  }

  return {
    async remove(caseId, now) {
      // The tombstone replaces the case item in one write: from here on every write that checks the case fails.
      await db.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { pk: S(caseId), sk: S('case'), channel: S(GONE), due: S(String(epoch(now)).padStart(12, '0')) },
        }),
      );
      await removeUnder(caseId);
    },

    async sweepGone(now) {
      const tombstones = await queryAll({
        TableName: tableName,
        IndexName: TABLE.byChannel.name,
        KeyConditionExpression: 'channel = :c',
        ExpressionAttributeValues: { ':c': S(GONE) },
      });
      for (const tombstone of tombstones) {
        await removeUnder(tombstone.pk!.S!);
        if (Number(tombstone.due!.S) < epoch(now) - DAY_SECONDS) {
          await db.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: tombstone.pk!, sk: S('case') }, ConditionExpression: 'attribute_not_exists(doc)' })).catch((e: unknown) => {
            if (!(e instanceof ConditionalCheckFailedException)) throw e;
          });
        }
      }
      return tombstones.map((t) => t.pk!.S!);
    },
  };
}
