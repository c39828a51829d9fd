import { Module } from '@nestjs/common';
import { LinesRepository } from './lines.repository';
import { LinesResolver, TenantLinesResolver } from './lines.resolver';
import { LinesService } from './lines.service';

/** The tenant's phone lines. Calls read them through LinesService (a call's line) and LinesRepository (the write batch). */
@Module({
  providers: [LinesRepository, LinesService, LinesResolver, TenantLinesResolver],
  exports: [LinesService, LinesRepository],
})
export class LinesModule {}
