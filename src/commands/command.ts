// Placeholder module: the COMMAND family is not implemented yet.
import type { HandlerMap, GetKeys } from './types.js';

export const handlers: HandlerMap = {};
/** Key finders for commands whose key specs cannot locate their keys. */
export const getKeysOverrides: Record<string, GetKeys> = {};
