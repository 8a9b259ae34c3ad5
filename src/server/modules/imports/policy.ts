import type { Actor } from '../../lib/actor.js';

/** An import run is read by whoever started it, and by administrators. */
export const canReadImportRun = (a: Actor, run: { actorId: string }) => run.actorId === a.id || a.role === 'admin';
