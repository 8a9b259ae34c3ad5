import type { Actor } from '../../lib/actor.js';

/** Only administrators manage accounts. */
export const canManageUsers = (a: Actor) => a.role === 'admin';
/** Everyone signed in changes their own password. */
export const canChangeOwnPassword = (_a: Actor) => true;
/** Two-step verification is for staff and council accounts (producers and viewers sign in with a password only). */
export const canUseTotp = (a: Actor) => a.role !== 'producer' && a.role !== 'viewer';
