import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import type { Interaction } from './interaction';
import { summaryOf } from './interaction';
import { InteractionsRepository } from './interactions.repository';

@Resolver('Interaction')
export class InteractionsResolver {
  constructor(
    private readonly interactions: InteractionsRepository,
    private readonly dataSource: DataSource,
  ) {}

  @ResolveField('summary')
  summary(@Parent() i: Interaction) {
    return summaryOf(i);
  }

  @ResolveField('edits')
  edits(@Parent() i: Interaction) {
    return this.interactions.editsOf(this.dataSource.manager, i.tenantId, i.id);
  }
}
