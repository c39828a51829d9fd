import type { PhoneNumber } from '@thankstar/contracts';
import type { CallStatus } from './call-state';

export type CallSource = 'webhook' | 'sip' | 'twilio' | 'number-display';

/** One incoming call as it stands now (table calls); its history is in call_events. */
export interface Call {
  id: string;
  tenantId: string;
  /** The source's own id for the call. */
  callId: string;
  source: CallSource;
  status: CallStatus;
  from: PhoneNumber;
  to: PhoneNumber;
  lineId: string | null;
  extension: string | null;
  operatorId: string | null;
  ringingAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
}
