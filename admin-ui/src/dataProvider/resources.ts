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
import { request } from '../graphql/client';
import type { NewContractInput, PlanVersionInput } from '../graphql/types';
import { CreatePlan, Plans } from '../plans/operations';
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
};
