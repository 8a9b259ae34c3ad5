import type { Actor } from '../../lib/actor.js';

/** A notification is its recipient's alone. */
export const canReadNotification = (a: Actor, n: { userId: string }) => a.id === n.userId;
