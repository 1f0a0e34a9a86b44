/** Ids for stored objects: a type prefix and 128 random bits in base64url (`rnd_3q2…`). */
import { randomBytes } from 'node:crypto';

export type IdPrefix = 'rnd' | 'tpl' | 'ast' | 'key' | 'ten' | 'msg';

export const newId = (prefix: IdPrefix): string => `${prefix}_${randomBytes(16).toString('base64url')}`;
