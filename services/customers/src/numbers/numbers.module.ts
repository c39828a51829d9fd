import { Module } from '@nestjs/common';
import { NumbersRepository } from './numbers.repository';
import { EmployeeNumbersResolver, NuisanceNumbersResolver } from './numbers.resolver';
import { NumbersService } from './numbers.service';

/** The tenant admin's employee and nuisance number lists (the caller lookup reads them in its one statement). */
@Module({
  providers: [NumbersRepository, NumbersService, EmployeeNumbersResolver, NuisanceNumbersResolver],
})
export class NumbersModule {}
