import 'reflect-metadata';
import { ArgsType, Directive, Field, ID, ObjectType } from 'type-graphql';

/** An account. `email` and `apiKeys` are resolved only for the user themself (see UserResolver). */
@ObjectType({ description: 'An account on the marketplace.' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID)
  id!: string;

  /** Not a GraphQL field as such: UserResolver.email exposes it to its owner only. */
  emailAddress?: string;
}

@ObjectType({ description: 'An API key for integrators; the secret is shown only once, at creation.' })
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'The first characters of the secret, to tell keys apart.' })
  prefix!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the key stops working; null: never.' })
  expiresAt!: Date | null;

  /** Resolved from Redis by ApiKeyResolver (the gateway records use there). */
  lastUsedAt?: Date | null;
}

@ObjectType()
export class ApiKeyCreated {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field({ description: 'Send as `Authorization: Bearer <secret>`. Shown only now; store it safely.' })
  secret!: string;
}

@ArgsType()
export class CredentialsArgs {
  @Field()
  email!: string;

  @Field()
  password!: string;
}

@ArgsType()
export class ChangePasswordArgs {
  @Field()
  currentPassword!: string;

  @Field()
  newPassword!: string;
}

@ArgsType()
export class ResetPasswordArgs {
  @Field({ description: 'The token of the reset mail (its link carries it as `token`).' })
  token!: string;

  @Field()
  newPassword!: string;
}
