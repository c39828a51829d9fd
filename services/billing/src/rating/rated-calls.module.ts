import { Module } from '@nestjs/common';
import { RatingRepository } from './rating.repository';

/**
 * Rating's tables (rated calls, presence, seats) for the features that read them: usage, the
 * close, and contracts (a termination checks the calls after its end month). A module of its own,
 * apart from RatingModule, because rating itself reads contracts: contracts → rated calls and
 * rating → contracts would otherwise import each other.
 */
@Module({
  providers: [RatingRepository],
  exports: [RatingRepository],
})
export class RatedCallsModule {}
