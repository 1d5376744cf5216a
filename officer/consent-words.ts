/** How the tool says, in one phrase, what each consent to CLB allows. */
import type { ClbConsent } from '../shared/schemas/payload.ts';

export const CONSENT_WORDS: Record<ClbConsent, string> = {
  none: 'only the officers of this channel may read the report (nothing goes to CLB)',
  'without-contact': 'the report itself may go to CLB, without contact details',
  conversation: 'CLB may read along in the conversation, contact details included',
};
