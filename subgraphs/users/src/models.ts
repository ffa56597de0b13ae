import { outboxPlugin, type WithOutbox } from '@ticketing/events';
import { type IdempotencyRecord, registerIdempotencyRecords } from '@ticketing/kit/graphql';
import { type Connection, type Model, Schema, type Types } from 'mongoose';

export interface UserDoc extends WithOutbox {
  _id: Types.ObjectId;
  email: string;
  passwordHash: string;
  version: number;
  /** Set by an operator (banAccount, `npm run admin -- ban`): no sign-in, no session, no API key. */
  banned?: boolean;
  /** `operator` may ban and unban accounts; granted only by `npm run admin -- grant-operator`. */
  roles?: string[];
  /** The one outstanding password reset: its token's SHA-256 (the token is never stored) and end. */
  passwordReset?: { tokenHash: string; expiresAt: Date } | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The role that may ban and unban accounts. */
export const OPERATOR = 'operator';

export interface ApiKeyDoc {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  name: string;
  /** The first characters of the secret, so its owner can tell keys apart. */
  prefix: string;
  /** SHA-256 (hex) of the secret; the secret itself is never stored. */
  secretHash: string;
  createdAt: Date;
  revokedAt?: Date;
  /** When it stops working; absent: never. */
  expiresAt?: Date | null;
}

const userSchema = new Schema<UserDoc>(
  {
    email: { type: String, required: true },
    passwordHash: { type: String, required: true },
    version: { type: Number, required: true },
    banned: { type: Boolean },
    roles: { type: [String], default: undefined },
    passwordReset: { type: { _id: false, tokenHash: String, expiresAt: Date }, default: undefined },
  },
  { timestamps: true },
);
// One account per email is decided here, by the database, atomically.
userSchema.index({ email: 1 }, { unique: true });
userSchema.plugin(outboxPlugin);

const apiKeySchema = new Schema<ApiKeyDoc>({
  userId: { type: Schema.Types.ObjectId, required: true },
  name: { type: String, required: true },
  prefix: { type: String, required: true },
  secretHash: { type: String, required: true },
  createdAt: { type: Date, required: true },
  revokedAt: { type: Date },
  expiresAt: { type: Date },
});
apiKeySchema.index({ secretHash: 1 }, { unique: true });
apiKeySchema.index({ userId: 1, createdAt: -1 });

export interface UsersModels {
  Users: Model<UserDoc>;
  ApiKeys: Model<ApiKeyDoc>;
  /** signUp's and createApiKey's idempotency keys (read by `_id`; expiresAt's TTL index). */
  IdempotencyRecords: Model<IdempotencyRecord>;
}

export function registerModels(connection: Connection): UsersModels {
  return {
    Users: connection.model<UserDoc>('User', userSchema, 'users'),
    ApiKeys: connection.model<ApiKeyDoc>('ApiKey', apiKeySchema, 'apikeys'),
    IdempotencyRecords: registerIdempotencyRecords(connection),
  };
}
