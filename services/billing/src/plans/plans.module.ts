import { Module } from '@nestjs/common';
import { PlansRepository } from './plans.repository';
import { PlansResolver, PlanVersionResolver } from './plans.resolver';
import { PlansService } from './plans.service';

/** The plan catalogue (docs/product-rules.md#plans): versions never change once written. */
@Module({
  providers: [PlansRepository, PlansService, PlansResolver, PlanVersionResolver],
  exports: [PlansService],
})
export class PlansModule {}
