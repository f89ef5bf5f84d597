import { Types } from 'mongoose';

/** Parse a 24-hex-digit id; null for anything else, so a malformed id reads as "not found". */
export function toObjectId(id: string): Types.ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null;
}

export function newObjectIdString(): string {
  return new Types.ObjectId().toHexString();
}
