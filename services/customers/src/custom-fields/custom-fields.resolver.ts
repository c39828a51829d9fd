import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import { CustomFieldsService } from './custom-fields.service';
import type { DefinitionInput } from './definition';

@Resolver('CustomFieldDefinition')
export class CustomFieldsResolver {
  constructor(private readonly fields: CustomFieldsService) {}

  /** Every operator needs the definitions to show and edit the fields. */
  @Query('customFieldDefinitions')
  list(@CurrentPrincipal() principal: Principal) {
    return this.fields.list(principal.tenantId);
  }

  @Mutation('defineCustomField')
  define(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: DefinitionInput & { position?: number | null },
  ) {
    return this.fields.define(principal, input);
  }

  @Mutation('removeCustomField')
  remove(@CurrentPrincipal() principal: Principal, @Args('key') key: string) {
    return this.fields.remove(principal, key);
  }
}
