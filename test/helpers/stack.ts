import { afterAll, beforeAll, beforeEach } from 'vitest';
import { Agent } from 'undici';
import { createGateway } from '../../src/gateway.js';
import { Simulator } from '../../src/simulator/server.js';
import { type BillingApiVersion, ScalewayBillingClient } from '../../src/upstreams/scaleway/client.js';
import { ScalewayFinOpsClient } from '../../src/upstreams/scaleway/finops.js';
import { ScalrClient } from '../../src/upstreams/scalr/client.js';

export const SECRET = '6b3c1d2e-0000-4000-8000-5ec2e7000001';
export const SCALR_TOKEN = 'scalr-token-5ec2e7-0000000000000001';

export interface GraphQLResult<T = any> {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/**
 * The real stack in one process: the upstream simulator on a loopback socket, the real Scaleway
 * client over undici, and the real yoga gateway driven through `yoga.fetch`.
 */
export interface StackOptions {
  version?: BillingApiVersion;
  organizations?: string[] | null;
  now?: Date;
  /** FinOps `page_size`; small by default so that walks cross many upstream pages. */
  finopsPageSize?: number;
  finopsMaxIdsPerCall?: number;
  /** Scalr `page[size]`; small by default so that windows cross upstream pages. */
  scalrPageSize?: number;
  /** Scalr accounts served; null: any, checked upstream. Default: the simulator's. */
  scalrAccounts?: string[] | null;
  preferProfile?: string;
}

export async function startStack(options: StackOptions = {}) {
  const now = options.now ?? new Date();
  const sim = new Simulator({ scalewaySecretKey: SECRET, scalrToken: SCALR_TOKEN, now });
  const url = await sim.listen();
  const agent = new Agent({ connections: 64 });
  const billing = new ScalewayBillingClient({ apiUrl: url, secretKey: SECRET, dispatcher: agent, version: options.version ?? 'v2beta1', now: () => now });
  const orgs = sim.data.organizations.map((o) => o.id);
  const finops = new ScalewayFinOpsClient({ apiUrl: url, secretKey: SECRET, dispatcher: agent });
  const scalr = new ScalrClient({ baseUrl: `${url}/api/iacp/v3`, token: SCALR_TOKEN, dispatcher: agent, preferProfile: 'preferProfile' in options ? options.preferProfile : 'preview' });
  const accounts = sim.data.scalrAccounts.map((a) => a.id);
  const yoga = createGateway({
    billing,
    finops,
    scalr,
    logging: false,
    settings: {
      defaultOrganizationId: orgs[0],
      organizationIds: options.organizations === null ? null : new Set(options.organizations ?? orgs),
      now: () => now,
      finopsPageSize: options.finopsPageSize ?? 100,
      finopsMaxIdsPerCall: options.finopsMaxIdsPerCall ?? 50,
      defaultScalrAccountId: accounts[0],
      scalrAccountIds: options.scalrAccounts === null ? null : new Set(options.scalrAccounts ?? accounts),
      scalrPageSize: options.scalrPageSize ?? 20,
    },
  });
  const query = async <T = any>(text: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<T>> => {
    const res = await yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: text, variables }),
    });
    return (await res.json()) as GraphQLResult<T>;
  };
  return {
    sim,
    yoga,
    query,
    orgs,
    accounts,
    billing,
    async close() {
      await agent.close();
      await sim.close();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * A stack for one test file: started before its tests, closed after them, with faults and the
 * request log cleared before each test. Usable at once; it forwards to the started stack.
 */
export function useStack(options: StackOptions = {}): Stack {
  let current: Stack | undefined;
  beforeAll(async () => {
    current = await startStack(options);
  });
  afterAll(() => current?.close());
  beforeEach(() => {
    current!.sim.clearFaults();
    current!.sim.resetLog();
  });
  return new Proxy({} as Stack, { get: (_target, key) => current![key as keyof Stack] });
}
