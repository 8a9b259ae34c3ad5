// Prints ARCHITECTURE.md's "Who recognises what" table from seed/procedures/procedures.json (a unit test checks
// that the document contains exactly this): `npx tsx scripts/authority-table.ts`.
import fs from 'node:fs';
import { authorityTable, type ProcedureVersion } from '../src/server/modules/recognition/authority.js';

const seed = JSON.parse(fs.readFileSync(new URL('../seed/procedures/procedures.json', import.meta.url), 'utf8')) as { versions: (Omit<ProcedureVersion, 'doc'> & ProcedureVersion['doc'])[] };
console.log(authorityTable(seed.versions.map((v) => ({ ...v, doc: { levels: v.levels, intake: v.intake, council: v.council, belowBand: v.belowBand } }))));
