import 'reflect-metadata';
import {
  batchedReference,
  buildFederatedSchema,
  instanceContainer,
  type SubgraphContext,
} from '@ticketing/kit/graphql';
import type { GraphQLSchema } from 'graphql';
import { Types } from 'mongoose';
import { ApiKeyResolver } from './ApiKeyResolver';
import { toUser, UserResolver } from './UserResolver';
import type { UsersDeps } from './UsersDeps';

/** The users subgraph schema; `deps` may be omitted only to print the SDL. */
export function buildUsersSchema(deps?: UsersDeps): Promise<GraphQLSchema> {
  const resolvers = deps ? [new UserResolver(deps), new ApiKeyResolver(deps)] : [];
  return buildFederatedSchema({
    resolvers: [UserResolver, ApiKeyResolver],
    container: instanceContainer(resolvers),
    referenceResolvers: {
      User: {
        __resolveReference: batchedReference(async (id: string, _ctx: SubgraphContext) => {
          if (!deps || !/^[0-9a-f]{24}$/i.test(id)) return null;
          const doc = await deps.models.Users.findById(new Types.ObjectId(id), { email: 1 }).lean();
          return doc ? toUser(doc) : null;
        }),
      },
    },
  });
}
