import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { SipRepository } from './sip.repository';
import { SipResolver } from './sip.resolver';
import { SipListenerService } from './sip-listener.service';

/** The SIP listener (one registering extension per tenant with settings) and its settings API. */
@Module({
  imports: [CallsModule],
  providers: [SipRepository, SipListenerService, SipResolver],
})
export class SipModule {}
