/**
 * Records of oral reports and meetings, and what the reporter said of each: agreed, corrected, or
 * not yet answered. Only an answer signed by the reporter's key counts; anything else leaves the
 * record open (a forged agreement is shown NOT VERIFIED in the conversation and changes nothing here).
 */
import { REPORTER, type ReadCase } from './case-reader.ts';

export interface RecordState {
  recordId: string;
  title: string;
  /** The message that holds the record. */
  entryId: string;
  status: 'agreed' | 'corrected' | 'open';
  corrections: string;
}

export function recordsOf(read: ReadCase): RecordState[] {
  const records: RecordState[] = [];
  for (const e of read.entries) {
    const p = e.payload;
    if (e.thread !== 'case' || !p || e.signature.status !== 'verified' || e.otherCase || e.order === 'replayed') continue;
    if (p.kind === 'record' && e.signature.name !== REPORTER) {
      records.push({ recordId: p.recordId, title: p.title, entryId: e.id, status: 'open', corrections: '' });
    }
    if (p.kind === 'record-response' && e.signature.name === REPORTER && read.reporterKeyOk) {
      const record = records.find((r) => r.recordId === p.recordId);
      if (record) Object.assign(record, { status: p.agreed ? 'agreed' : 'corrected', corrections: p.corrections });
    }
  }
  return records;
}
