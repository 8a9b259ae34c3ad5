import type { Db } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import * as repo from './repository.js';
import type { TaxonomyVersion } from './schema.js';

/** Whole taxonomy (every version with its nodes and old → new mapping): small reference data. */
export async function listTaxonomies(db: Db): Promise<TaxonomyVersion[]> {
  const [versions, nodes, maps] = await Promise.all([repo.findVersions(db), repo.findAllNodes(db), repo.findMappings(db)]);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return versions.map((v) => ({
    ...v,
    nodes: nodes
      .filter((n) => n.version === v.code)
      .map((n) => ({
        ...n,
        level: n.level as 'sector' | 'group' | 'subgroup',
        mapsTo: maps
          .filter((m) => m.fromNodeId === n.id)
          .map((m) => {
            const t = byId.get(m.toNodeId)!;
            return { id: t.id, version: t.version, code: t.code, note: m.note };
          }),
      })),
  }));
}

/** Products are classified on a leaf (one criteria sheet per leaf). */
export async function assertLeaf(db: Db, nodeId: number) {
  const n = await repo.findNodeById(db, nodeId);
  if (!n || !n.isLeaf) throw new AppError('TAXONOMY_NOT_LEAF', { errors: [{ path: 'taxonomyNodeId', message: 'Chọn phân nhóm sản phẩm' }] });
  return n;
}

export const getNodeByCode = repo.findNodeByCode;

/** "code name" of taxonomy nodes by id (labels for histories). */
export async function nodeNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const id of ids) {
    const n = await repo.findNodeById(db, id);
    if (n) out.set(id, `${n.code} ${n.name}`);
  }
  return out;
}

export interface TaxonomySeed {
  version: string; decision: string; signedOn: string | null; effectiveFrom: string | null; source?: string;
  nodes: { code: string; name: string; level: 'sector' | 'group' | 'subgroup'; parent: string | null; verify?: boolean }[];
}

/** Loads a taxonomy version once (a published decision's tree never changes; a new decision is a new version). */
export async function loadTaxonomySeed(db: Db, seed: TaxonomySeed): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (await repo.findVersion(tx, seed.version)) return false;
    await repo.insertVersion(tx, { code: seed.version, decision: seed.decision, signedOn: seed.signedOn, effectiveFrom: seed.effectiveFrom, note: seed.source ?? null });
    const idByCode = new Map<string, number>();
    const parents = new Set(seed.nodes.map((n) => n.parent).filter(Boolean));
    for (const n of seed.nodes) {
      const row = await repo.insertNode(tx, {
        version: seed.version,
        code: n.code,
        name: n.name,
        level: n.level,
        parentId: n.parent ? idByCode.get(n.parent)! : null,
        isLeaf: !parents.has(n.code),
        verify: Boolean(n.verify),
      });
      idByCode.set(n.code, row.id);
    }
    return true;
  });
}

export async function loadTaxonomyMappingSeed(db: Db, seed: { from: string; to: string; pairs: { from: string; to: string; note?: string }[] }) {
  await db.transaction(async (tx) => {
    for (const p of seed.pairs) {
      const a = await repo.findNodeByCode(tx, seed.from, p.from);
      const b = await repo.findNodeByCode(tx, seed.to, p.to);
      if (!a || !b) throw new Error(`taxonomy mapping ${p.from} → ${p.to}: unknown node`);
      await repo.insertMapping(tx, { fromNodeId: a.id, toNodeId: b.id, note: p.note || null });
    }
  });
}
