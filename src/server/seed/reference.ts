import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/client.js';
import type { TranscribedSheet } from '../../shared/criteria-import.js';
import { loadCriteriaSetSeed, loadProceduresSeed } from '../modules/criteria/service.js';
import { loadUnitsSeedText } from '../modules/geo/service.js';
import { loadBoundarySeed, loadNationalUnits } from '../modules/geo/reference.js';
import { loadPlanSeed, type PlanSeed } from '../modules/programme/service.js';
import { loadTaxonomyMappingSeed, loadTaxonomySeed, type TaxonomySeed } from '../modules/taxonomy/service.js';

export const seedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../seed');
export const readSeedText = (rel: string): string => fs.readFileSync(path.join(seedDir, rel), 'utf8');
export const readSeed = <T>(rel: string): T => JSON.parse(readSeedText(rel)) as T;

/**
 * Reference data every installation needs (administrative units and boundaries, product taxonomies). Idempotent:
 * runs at every start and adds only what is missing, so a new decision's data arrives with an upgrade.
 */
export async function loadReferenceData(db: Db) {
  // Units: the Lục Ngạn units over time with their successions, then the national 2025 list (matched to those by GSO
  // code), then the shipped boundaries (34 provinces, Bắc Ninh's 99 communes). Each skipped while its file is unchanged.
  await loadUnitsSeedText(db, readSeedText('geo/units.json'));
  await loadNationalUnits(db, readSeedText('geo/vn-admin-units-2025.json'));
  await loadBoundarySeed(db, readSeedText('geo/vn-provinces-2025.geojson'), 'geo/vn-provinces-2025.geojson', 1);
  await loadBoundarySeed(db, readSeedText('geo/bac-ninh-communes-2025.geojson'), 'geo/bac-ninh-communes-2025.geojson', 3);
  const added1048 = await loadTaxonomySeed(db, readSeed<TaxonomySeed>('taxonomy/qd-1048.json'));
  const added148 = await loadTaxonomySeed(db, readSeed<TaxonomySeed>('taxonomy/qd-148.json'));
  if (added1048 || added148) await loadTaxonomyMappingSeed(db, readSeed('taxonomy/map-1048-148.json'));
  await loadProceduresSeed(db, readSeed('procedures/procedures.json'));
  const sheet = (file: string) => readSeed<TranscribedSheet & { taxonomyCode: string }>(`criteria/${file}`);
  // QĐ 1048: the public transcription of the fresh-produce sheet, kept as a draft — its part A does not add up,
  // which the validator reports until an officer corrects it from the official text.
  await loadCriteriaSetSeed(db, {
    code: '1048', name: 'Bộ tiêu chí OCOP theo QĐ 1048/QĐ-TTg (2019)', decision: '1048/QĐ-TTg', signedOn: '2019-08-21', effectiveFrom: '2019-08-21',
    taxonomyVersion: '1048', partMaxima: { A: 35, B: 25, C: 40 }, isDemo: false, publish: false,
    note: 'Bản chép công khai phiếu "Rau, củ, quả, hạt tươi"; phần A cộng ra 36 thay vì 35 — cần đối chiếu văn bản chính thức.',
    sheets: ['1048-rau-cu-qua-hat-tuoi.json'],
  }, (file) => ({ ...sheet(file), taxonomyCode: '1.1.a' }));
  // QĐ 148 structure with illustrative content for the demo products' subgroups: labelled demo everywhere.
  await loadCriteriaSetSeed(db, {
    code: '148-demo', name: 'Bộ tiêu chí theo cấu trúc QĐ 148/QĐ-TTg — DỮ LIỆU MẪU (DEMO)', decision: '148/QĐ-TTg', signedOn: '2023-02-24', effectiveFrom: '2023-02-24',
    taxonomyVersion: '148', partMaxima: { A: 40, B: 25, C: 35 }, isDemo: true, publish: true,
    note: 'Nội dung tiêu chí là minh hoạ; cán bộ cần nạp văn bản chính thức trước khi dùng thật.',
    sheets: fs.readdirSync(path.join(seedDir, 'criteria')).filter((f) => f.startsWith('demo-148-')).sort(),
  }, sheet);
  // Programme plans (#11): the Lục Ngạn 2023–2025 plan's targets, loaded once by code (officers' edits stay).
  await loadPlanSeed(db, readSeed<PlanSeed>('programme/luc-ngan-2023-2025.json'));
}
