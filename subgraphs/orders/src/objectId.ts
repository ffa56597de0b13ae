import { Types } from 'mongoose';

/** A well-formed id, or null: a malformed id names nothing (NOT_FOUND), never an internal error. */
export const objectId = (id: string): Types.ObjectId | null =>
  /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null;
