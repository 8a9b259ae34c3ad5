/**
 * In-process change notifications: a service announces, AFTER its transaction committed, which lots and products
 * it changed; in-process read caches (the public scan pages' cache, modules/stamps/scan-cache.ts) subscribe and
 * drop what they hold of them at once. Other app processes (PostgreSQL mode) do not hear these: their caches
 * converge through their TTL.
 *
 * Announcing is synchronous and never throws into the caller: a listener's error is swallowed (a cache that cannot
 * drop an entry still expires it).
 */
export type Change = {
  /** Lots whose page data changed: the lot row, its growing areas, its events, its stamp ranges or exceptions. */
  lots?: readonly string[];
  /** Products whose page data changed: name, brand, standards, photos, certificates. */
  products?: readonly string[];
};

type Listener = (c: Change) => void;
const listeners = new Set<Listener>();

/** Tells this process's caches that these lots/products changed. Call after commit, never inside a transaction. */
export function announceChange(c: Change): void {
  if (!c.lots?.length && !c.products?.length) return;
  for (const l of listeners) {
    try {
      l(c);
    } catch {
      /* a cache's failure must not fail a committed write */
    }
  }
}

/** Subscribes; returns the unsubscribe function. */
export function onChange(l: Listener): () => void {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
}
