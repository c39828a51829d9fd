import type {
  CreateParams,
  CreateResult,
  DeleteParams,
  DeleteResult,
  GetListParams,
  GetListResult,
  GetManyParams,
  GetManyReferenceParams,
  GetManyReferenceResult,
  GetManyResult,
  GetOneParams,
  GetOneResult,
  RaRecord,
  UpdateParams,
  UpdateResult,
} from 'react-admin';
import { Contract, CreateContract } from '../contracts/operations';
import { CustomFieldDefinitions, DefineCustomField, RemoveCustomField } from '../customFields/operations';
import { request } from '../graphql/client';
import type { CustomFieldType, NewContractInput, PlanVersionInput, Role } from '../graphql/types';
import {
  AddEmployeeNumber,
  AddNuisanceNumber,
  EmployeeNumbers,
  NuisanceNumbers,
  RemoveEmployeeNumber,
  RemoveNuisanceNumber,
} from '../numbers/operations';
import { CreatePlan, Plans } from '../plans/operations';
import { InviteUser, Users } from '../users/operations';
import { listInMemory } from './listInMemory';

export interface ResourceOperations {
  getList?: (params: GetListParams) => Promise<GetListResult>;
  getOne?: (params: GetOneParams) => Promise<GetOneResult>;
  getMany?: (params: GetManyParams) => Promise<GetManyResult>;
  getManyReference?: (params: GetManyReferenceParams) => Promise<GetManyReferenceResult>;
  create?: (params: CreateParams) => Promise<CreateResult>;
  update?: (params: UpdateParams) => Promise<UpdateResult>;
  delete?: (params: DeleteParams) => Promise<DeleteResult>;
}

const plans = async () => (await request(Plans, {})).plans;
const removed = <T>(previousData: T | undefined, id: unknown) => ({ data: (previousData ?? { id }) as RaRecord });

/**
 * THE map from react-admin resource to gateway operation. A resource or method missing here has
 * no backend operation; the data provider answers UNSUPPORTED_OPERATION for it.
 */
export const resources: Record<string, ResourceOperations> = {
  plans: {
    getList: async (params) => listInMemory(await plans(), params),
    getOne: async ({ id }) => {
      const plan = (await plans()).find((p) => p.id === id);
      if (!plan) throw new Error('ra.notification.item_doesnt_exist');
      return { data: plan };
    },
    getMany: async ({ ids }) => ({ data: (await plans()).filter((p) => ids.includes(p.id)) }),
    create: async ({ data }) => {
      const { code, name, firstVersion } = data as { code: string; name: string; firstVersion: PlanVersionInput };
      return { data: (await request(CreatePlan, { code, name, firstVersion })).createPlan as RaRecord };
    },
  },
  // A tenant has one current contract: the record id is the tenant id, the contract's own id is contractId.
  contracts: {
    getOne: async ({ id }) => {
      const { contract } = await request(Contract, { tenantId: String(id) });
      if (!contract) throw new Error('ra.notification.item_doesnt_exist');
      return { data: { ...contract, contractId: contract.id, id: contract.tenantId } };
    },
    create: async ({ data }) => {
      const { createContract } = await request(CreateContract, { input: data as NewContractInput });
      return { data: { ...createContract, contractId: createContract.id, id: createContract.tenantId } };
    },
  },
  employeeNumbers: {
    getList: async (params) => listInMemory((await request(EmployeeNumbers, {})).employeeNumbers, params),
    create: async ({ data }) => {
      const { number, label } = data as { number: string; label?: string };
      return { data: (await request(AddEmployeeNumber, { number, label: label || null })).addEmployeeNumber };
    },
    delete: async ({ id, previousData }) => {
      await request(RemoveEmployeeNumber, { id: String(id) });
      return removed(previousData, id);
    },
  },
  nuisanceNumbers: {
    getList: async (params) => listInMemory((await request(NuisanceNumbers, {})).nuisanceNumbers, params),
    create: async ({ data }) => {
      const { number, reason } = data as { number: string; reason: string };
      return { data: (await request(AddNuisanceNumber, { number, reason })).addNuisanceNumber };
    },
    delete: async ({ id, previousData }) => {
      await request(RemoveNuisanceNumber, { id: String(id) });
      return removed(previousData, id);
    },
  },
  // Custom fields are removed by key; the record keeps its id for react-admin.
  customFields: {
    getList: async (params) => listInMemory((await request(CustomFieldDefinitions, {})).customFieldDefinitions, params),
    create: async ({ data }) => {
      const d = data as {
        key: string;
        label: string;
        type: CustomFieldType;
        options?: string;
        required?: boolean;
        position?: number;
      };
      const options = (d.options ?? '')
        .split(/[,、\n]/)
        .map((o) => o.trim())
        .filter(Boolean);
      const input = {
        key: d.key,
        label: d.label,
        type: d.type,
        options,
        required: !!d.required,
        position: d.position ?? null,
      };
      return { data: (await request(DefineCustomField, { input })).defineCustomField };
    },
    delete: async ({ id, previousData }) => {
      const key = (previousData as { key?: string } | undefined)?.key;
      if (!key) throw new Error('ra.notification.item_doesnt_exist');
      await request(RemoveCustomField, { key });
      return removed(previousData, id);
    },
  },
  users: {
    getList: async (params) => listInMemory((await request(Users, {})).users, params),
    create: async ({ data }) => {
      const { email, name, roles } = data as { email: string; name: string; roles: Role[] };
      return { data: (await request(InviteUser, { email, name, roles })).inviteUser };
    },
  },
};
