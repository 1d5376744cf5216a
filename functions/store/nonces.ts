/**
 * Remembered officer request nonces, so a replayed request is refused: one item each, indexed under
 * `nonce#` by expiry, so the daily job finds and deletes old ones without a Scan (dynalite has no TTL;
 * in AWS, TTL is a backstop).
 */
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CaseStore } from './cases.ts';
import { queryAllItems } from './items.ts';
import { TABLE } from './table.ts';

/** Index partition of remembered nonces (not a valid channel id, like `esc#...`), sorted by expiry. */
const NONCES = 'nonce#';
const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });

export function nonceStore(db: DynamoDBClient, tableName: string): Pick<CaseStore, 'rememberNonce' | 'sweepNonces'> {
  const queryAll = (input: Parameters<typeof queryAllItems>[1]) => queryAllItems(db, input);
  return {
    async rememberNonce(nonce, expiresAt) {
      try {
        await db.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: S(`nonce#${nonce}`),
              sk: S('nonce'),
              channel: S(NONCES),
              due: S(String(expiresAt).padStart(12, '0')),
              [TABLE.ttlAttribute]: N(expiresAt),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async sweepNonces(now) {
      const expired = await queryAll({
        TableName: tableName,
        IndexName: TABLE.byChannel.name,
        KeyConditionExpression: 'channel = :c AND due < :now',
        ExpressionAttributeValues: { ':c': S(NONCES), ':now': S(String(now).padStart(12, '0')) },
      });
      for (const item of expired) {
        await db.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: item.pk!, sk: item.sk! } }));
      }
      return expired.length;
    },
  };
}
