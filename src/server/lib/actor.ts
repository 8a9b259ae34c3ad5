export const ROLES = ['admin', 'central_officer', 'province_officer', 'commune_officer', 'council_member', 'producer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: resolved once per request from the session. */
export interface Actor {
  id: string;
  login: string;
  fullName: string;
  role: Role;
  producerId: string | null;
  /** Units the user was assigned (commune officers). */
  unitIds: number[];
  /** Assigned units plus their predecessors and children, so records registered under an old unit stay in scope. */
  scopeUnitIds: Set<number>;
  locale: 'vi' | 'en';
}

/** Ministry staff: organise central rounds and issue 5★ decisions for products of any province; read everything. */
export const isCentral = (a: Actor) => a.role === 'central_officer';
export const isStaff = (a: Actor) => a.role === 'admin' || a.role === 'province_officer' || a.role === 'commune_officer';
export const isProvinceWide = (a: Actor) => a.role === 'admin' || a.role === 'province_officer';
/** Roles that may read the whole registry (not producers, who see their own records). */
export const canReadRegistry = (a: Actor) => a.role !== 'producer';
