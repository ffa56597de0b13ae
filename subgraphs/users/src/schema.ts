import 'reflect-metadata';
import {
  batchedReference,
  buildFederatedSchema,
  instanceContainer,
  type SubgraphContext,
} from '@ticketing/kit/graphql';
import type { GraphQLSchema } from 'graphql';
import { Types } from 'mongoose';
import { AccountResolver } from './AccountResolver';
import { ApiKeyResolver } from './ApiKeyResolver';
import { PasswordResolver } from './PasswordResolver';
import { toUser, UserResolver } from './UserResolver';
import type { UsersDeps } from './UsersDeps';

/** The users subgraph schema; `deps` may be omitted only to print the SDL. */
export function buildUsersSchema(deps?: UsersDeps): Promise<GraphQLSchema> {
  const resolvers = deps
    ? [
        new UserResolver(deps),
        new ApiKeyResolver(deps),
        new AccountResolver(deps),
        new PasswordResolver(deps),
      ]
    : [];
  return buildFederatedSchema({
    resolvers: [UserResolver, ApiKeyResolver, AccountResolver, PasswordResolver],
    container: instanceContainer(resolvers),
    referenceResolvers: {
      User: {
        __resolveReference: batchedReference(async (id: string, _ctx: SubgraphContext) => {
          const email = deps && (await deps.directory.email(id));
          return email ? toUser({ _id: new Types.ObjectId(id), email }) : null;
        }),
      },
    },
  });
}
