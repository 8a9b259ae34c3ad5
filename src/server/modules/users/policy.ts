import type { Actor } from '../../lib/actor.js';

/** Only administrators manage accounts. */
export const canManageUsers = (a: Actor) => a.role === 'admin';
/** Everyone signed in changes their own password. */
export const canChangeOwnPassword = (_a: Actor) => true;
