// Placeholder module: no commands of this family are implemented yet, so they
// answer like unknown commands.
import type { HandlerMap } from './types.js';

export const handlers: HandlerMap = {};
