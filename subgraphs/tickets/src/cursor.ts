import { Types } from 'mongoose';

/** Where a page ends: the listing's sort key (createdAt, then id, both descending). */
export interface Cursor {
  createdAt: Date;
  id: Types.ObjectId;
}

/** Opaque to clients; stable because both parts never change once a ticket exists. */
export const encodeCursor = (createdAt: Date, id: Types.ObjectId): string =>
  Buffer.from(`${createdAt.getTime()}:${id.toHexString()}`).toString('base64url');

/** The cursor, or null when it is not one of ours. */
export function decodeCursor(cursor: string): Cursor | null {
  const m = /^(\d{1,15}):([0-9a-f]{24})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m?.[1] || !m[2]) return null;
  return { createdAt: new Date(Number(m[1])), id: new Types.ObjectId(m[2]) };
}
