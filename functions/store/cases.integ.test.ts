/** The case store against a real dynalite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { startDynalite, TABLE_NAME, type LocalDynamo } from '../local/dynamo.ts';
import { CaseGone } from '../errors.ts';
import { dynamoCaseStore, type CaseStore } from './cases.ts';
import { nextDue, type CaseDoc } from './case-doc.ts';
import type { ArmoredMessage } from '../../shared/protocol/envelope.ts';

let dynamo: LocalDynamo;
let store: CaseStore;
beforeAll(async () => {
  dynamo = await startDynalite(undefined);
  store = dynamoCaseStore(dynamo.client, TABLE_NAME);
});
afterAll(() => dynamo?.stop());

const message = '-----BEGIN PGP MESSAGE-----\n\nwcBMA\n-----END PGP MESSAGE-----\n' as ArmoredMessage;
let n = 0;
const doc = (overrides: Partial<CaseDoc> = {}): CaseDoc => ({
  caseId: `CASE${String(n++).padStart(12, '0')}`,
  channel: 'integriteit',
  status: 'received',
  escalated: false,
  escalatedTo: [],
  receivedOn: '2026-11-02',
  acknowledgedOn: null,
  closedOn: null,
  feedbackOn: null,
  reporterPublicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n' as CaseDoc['reporterPublicKey'],
  reporterFingerprint: 'a'.repeat(40) as CaseDoc['reporterFingerprint'],
  lockedPrivateKey: '-----BEGIN PGP PRIVATE KEY BLOCK-----\n' as CaseDoc['lockedPrivateKey'],
  recipients: [],
  recipientKeyIds: ['0123456789abcdef'],
  submissionDigest: 'd',
  first: message,
  ...overrides,
});

describe('case store', () => {
  it('creates once and hands back what is there on a second create', async () => {
    const original = doc();
    expect(await store.create(original)).toEqual({ created: true });
    const second = await store.create({ ...original, submissionDigest: 'other' });
    expect(second).toEqual({ created: false, existing: original });
  });

  it('updates only from the version it read', async () => {
    const d = doc();
    await store.create(d);
    const read = await store.get(d.caseId);
    expect(await store.update(d.caseId, read!.version, { ...d, status: 'acknowledged', acknowledgedOn: '2026-11-03' })).toBe(true);
    expect(await store.update(d.caseId, read!.version, { ...d, status: 'closed' })).toBe(false);
    expect((await store.get(d.caseId))!.doc.status).toBe('acknowledged');
  });

  it('numbers messages in order and keeps threads apart', async () => {
    const d = doc();
    await store.create(d);
    for (const [i, thread] of (['case', 'clb', 'case'] as const).entries()) {
      await store.appendMessage(d.caseId, { author: 'officer', day: `2026-11-0${i + 3}`, message, thread });
    }
    expect((await store.messages(d.caseId)).map((m) => [m.id, m.thread])).toEqual([['1', 'case'], ['2', 'clb'], ['3', 'case']]);
    expect((await store.messages(d.caseId, 'case')).map((m) => m.id)).toEqual(['1', '3']);
  });

  it('refuses a message for a case that does not exist', async () => {
    await expect(store.appendMessage('NOSUCHCASE000000', { author: 'reporter', day: '2026-11-03', message, thread: 'case' })).rejects.toThrow();
  });

  it('lists a channel by next deadline, closed last', async () => {
    const channel = 'lijst';
    const late = doc({ channel, receivedOn: '2026-11-20' });
    const early = doc({ channel, receivedOn: '2026-11-01' });
    const acknowledged = doc({ channel, receivedOn: '2026-10-01', acknowledgedOn: '2026-10-02', status: 'acknowledged' });
    const closed = doc({ channel, status: 'closed', closedOn: '2026-11-01' });
    for (const d of [late, closed, acknowledged, early]) await store.create(d);
    expect((await store.listByChannel(channel)).map((d) => d.caseId)).toEqual([early.caseId, late.caseId, acknowledged.caseId, closed.caseId]);
    expect(nextDue(acknowledged)).toBe('2027-01-02');
  });

  it('removes a case with all its messages', async () => {
    const d = doc();
    await store.create(d);
    await store.appendMessage(d.caseId, { author: 'reporter', day: '2026-11-03', message, thread: 'case' });
    await store.remove(d.caseId, new Date());
    expect(await store.get(d.caseId)).toBeNull();
    expect(await store.messages(d.caseId)).toEqual([]);
    // No message lands on it afterwards, and the code cannot take the case over.
    await expect(store.appendMessage(d.caseId, { author: 'reporter', day: '2026-11-03', message, thread: 'case' })).rejects.toThrow(CaseGone);
    await expect(store.create(d)).rejects.toThrow(CaseGone);
  });

  it('sweeps what a write under way left behind a delete, and forgets the tombstone a day later', async () => {
    const d = doc();
    await store.create(d);
    const now = new Date();
    await store.remove(d.caseId, now);
    // A message whose counter was taken before the delete, stored after it.
    await dynamo.client.send(new PutItemCommand({ TableName: TABLE_NAME, Item: { pk: { S: d.caseId }, sk: { S: 'msg#000009' }, doc: { S: '{}' } } }));
    expect(await store.sweepGone(now)).toContain(d.caseId);
    const left = await dynamo.client.send(new QueryCommand({ TableName: TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: d.caseId } } }));
    expect(left.Items?.map((i) => i.sk!.S)).toEqual(['case']);
    await store.sweepGone(new Date(now.getTime() + 25 * 60 * 60 * 1000));
    const none = await dynamo.client.send(new QueryCommand({ TableName: TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: d.caseId } } }));
    expect(none.Items).toEqual([]);
  });
});
