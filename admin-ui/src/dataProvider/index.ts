import type { DataProvider } from 'react-admin';
import { GatewayError } from '../graphql/client';
import { resources } from './resources';

type Method = 'getList' | 'getOne' | 'getMany' | 'getManyReference' | 'create' | 'update' | 'delete';

const handler = (resource: string, method: Method) => {
  const fn = resources[resource]?.[method];
  if (!fn) throw new GatewayError(`${resource}.${method} has no gateway operation`, 'UNSUPPORTED_OPERATION');
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
  updateMany: (resource) =>
    Promise.reject(new GatewayError(`${resource}.updateMany is not offered`, 'UNSUPPORTED_OPERATION')),
  deleteMany: (resource) =>
    Promise.reject(new GatewayError(`${resource}.deleteMany is not offered`, 'UNSUPPORTED_OPERATION')),
};
