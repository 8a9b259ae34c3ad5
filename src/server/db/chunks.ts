/**
 * Splits a list for multi-row statements: one INSERT per chunk keeps every statement under PostgreSQL's 65,535
 * bind parameters (a 20-column row × 500 = 10,000) while a 10,000-row import still needs only ~20 round trips.
 */
export function chunked<T>(xs: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
