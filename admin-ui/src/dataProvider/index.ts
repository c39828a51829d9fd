import type { DataProvider } from 'react-admin';
import { GatewayError } from '../graphql/client';
import { errorMessageJa } from '../graphql/errorMessage';
import { resources } from './resources';

type Method = 'getList' | 'getOne' | 'getMany' | 'getManyReference' | 'create' | 'update' | 'delete';

// A page asked for something resources.ts does not map (a bug of ours, not the user's): they read
// the generic Japanese refusal, the operation stays in `details` for whoever debugs it.
const unsupported = (resource: string, method: string) =>
  new GatewayError(errorMessageJa('UNSUPPORTED_OPERATION'), 'UNSUPPORTED_OPERATION', {
    operation: `${resource}.${method}`,
  });

const handler = (resource: string, method: Method) => {
  const fn = resources[resource]?.[method];
  if (!fn) throw unsupported(resource, method);
  return fn as (params: unknown) => Promise<never>;
};

/** react-admin's data provider over the gateway: every call goes through the explicit map in resources.ts. */
export const dataProvider: DataProvider = {
  getList: (resource, params) => handler(resource, 'getList')(params),
  getOne: (resource, params) => handler(resource, 'getOne')(params),
  getMany: (resource, params) => handler(resource, 'getMany')(params),
  getManyReference: (resource, params) => handler(resource, 'getManyReference')(params),
  create: (resource, params) => handler(resource, 'create')(params),
  update: (resource, params) => handler(resource, 'update')(params),
  delete: (resource, params) => handler(resource, 'delete')(params),
  updateMany: (resource) => Promise.reject(unsupported(resource, 'updateMany')),
  deleteMany: (resource) => Promise.reject(unsupported(resource, 'deleteMany')),
};
