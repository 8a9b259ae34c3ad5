import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { announceChange } from '../../lib/changes.js';
import { AppError, forbidden, fromDbError, notFound } from '../../lib/errors.js';
import { isActor, recordAudit, recordAuditMany, type Writer } from '../audit/service.js';
import type { Storage } from '../files/storage.js';
import { assertRegistrableUnit } from '../geo/service.js';
import { findProducerRow, findProducerRows } from '../producers/service.js';
import type { CertificationRow, ChannelRow, ProductRow, products } from './tables.js';
import { assertLeaf } from '../taxonomy/service.js';
import { checkProductGtin, describeGtin } from '../identifiers/service.js';
import { canReadProduct, canWriteProduct } from './policy.js';
import { auditableProduct, presentProduct, presentProductSummary } from './presenter.js';
import * as repo from './repository.js';
import type { ProductInput, ProductListQuery } from './schema.js';

const today = () => new Date().toISOString().slice(0, 10);

export async function findProducts(db: Db, actor: Actor, q: ProductListQuery) {
  const only = actor.role === 'producer' ? actor.producerId! : undefined;
  const { items, total, totalCapped } = await repo.findProducts(db, q, only);
  return { items: items.map(presentProductSummary), total, totalCapped, page: q.page, pageSize: q.pageSize };
}

export async function findAllProductsFor(db: Db, actor: Actor, q: ProductListQuery) {
  const only = actor.role === 'producer' ? actor.producerId! : undefined;
  return (await repo.findAllProducts(db, q, only)).map(presentProductSummary);
}

export async function getProductRow(db: Db, id: string) {
  const p = await repo.findProductRow(db, id);
  if (!p) throw notFound('Không tìm thấy sản phẩm');
  return p;
}

/** Whether the product has at least one photo (the public scan page shows it: stamps need one). */
export async function productHasPhoto(db: Db, productId: string) {
  return (await repo.findPhotos(db, productId)).length > 0;
}

export async function getProduct(db: Db, id: string) {
  const j = await repo.findProductJoined(db, id);
  if (!j) throw notFound('Không tìm thấy sản phẩm');
  // One after another: `db` may be a transaction (Excel import), i.e. one connection that runs one query at a time.
  const certs = await repo.findCertifications(db, id);
  const channels = await repo.findChannels(db, id);
  const photos = await repo.findPhotos(db, id);
  const gtinInfo = j.product.gtin ? await describeGtin(db, j.product.producerId, j.product.gtin) : null;
  return presentProduct(j, certs, channels, photos, today(), gtinInfo && { prefix: gtinInfo.prefix, prefixStatus: gtinInfo.prefixStatus, warnings: gtinInfo.warnings });
}

export async function getProductFor(db: Db, actor: Actor, id: string) {
  const row = await getProductRow(db, id);
  if (!canReadProduct(actor, row)) throw forbidden();
  return getProduct(db, id);
}

function columnsOf(input: ProductInput) {
  return {
    producerId: input.producerId,
    name: input.name,
    taxonomyNodeId: input.taxonomyNodeId,
    registeredUnitId: input.registeredUnitId,
    processingLevel: input.processingLevel,
    brand: input.brand,
    description: input.description,
    story: input.story,
    rawMaterialArea: input.rawMaterialArea,
    keyProduct: input.keyProduct,
    isDemo: input.isDemo,
    sources: input.sources,
  };
}

const RECOGNITION_KEYS = ['stars', 'recognitionYear', 'decisionNumber', 'decisionDate', 'certificateNumber', 'certificateIssuer', 'certificateExpiresOn'] as const;

/**
 * Star and certificate fields belong to the certificates module: product writes never change them. Sending back the
 * stored values (what an edit form read) is accepted and ignored; anything else is refused, naming the fields.
 */
function assertRecognitionUnchanged(input: ProductInput, stored: Partial<Record<(typeof RECOGNITION_KEYS)[number], unknown>> | null) {
  if (!input.recognition) return;
  const changed = RECOGNITION_KEYS.filter((k) => (input.recognition![k] ?? null) !== ((stored?.[k] as unknown) ?? null));
  if (!changed.length) return;
  throw new AppError('RECOGNITION_READ_ONLY', {
    detail: 'Hạng sao và giấy chứng nhận chỉ thay đổi qua giấy chứng nhận OCOP (cấp từ kết quả đánh giá, nhập giấy chứng nhận đã cấp, thu hồi)',
    errors: changed.map((k) => ({ path: `body.recognition.${k}`, message: 'Không sửa được ở đây: do mô-đun Giấy chứng nhận quản lý' })),
  });
}

/**
 * Fields only officers change (#10): where the product is registered (which decides the responsible officer), its
 * product group (which decides the criteria sheet), the key-product mark and the demo flag. A producer user edits
 * the description, story, brand, channels, certifications and photos; sending the stored values back is fine.
 */
const OFFICER_FIELDS = ['producerId', 'registeredUnitId', 'taxonomyNodeId', 'keyProduct', 'isDemo'] as const;
function assertProducerFields(writer: Writer, input: ProductInput, stored: Pick<ProductInput, (typeof OFFICER_FIELDS)[number]> | null) {
  if (!isActor(writer) || writer.role !== 'producer') return;
  const changed = stored
    ? OFFICER_FIELDS.filter((k) => (input[k] ?? null) !== (stored[k] ?? null))
    : (['keyProduct', 'isDemo'] as const).filter((k) => input[k]);
  if (!changed.length) return;
  throw new AppError('FIELD_NOT_EDITABLE', {
    detail: 'Đơn vị đăng ký, nhóm sản phẩm, sản phẩm chủ lực và cờ dữ liệu mẫu do cán bộ OCOP cập nhật',
    errors: changed.map((k) => ({ path: `body.${k}`, message: 'Chỉ cán bộ OCOP được sửa' })),
  });
}

/**
 * The GTIN the product will carry: unchanged when omitted; else checked (check digit, prefix range, the producer's
 * own GS1 company prefix, not another product's GTIN) and returned as GTIN-14.
 */
async function resolveGtin(tx: Db, input: ProductInput, before: { id: string; gtin: string | null } | null): Promise<string | null> {
  if (input.gtin === undefined) return before?.gtin ?? null;
  if (input.gtin === null || input.gtin === '') return null;
  const { gtin } = await checkProductGtin(tx, input.producerId, input.gtin);
  const other = await repo.findProductByGtin(tx, gtin);
  if (other && other.id !== before?.id) {
    throw new AppError('GTIN_TAKEN', {
      detail: other.producerId === input.producerId
        ? `Mã GTIN ${gtin} đã dùng cho sản phẩm "${other.name}" của chủ thể: mỗi sản phẩm một GTIN`
        : `Mã GTIN ${gtin} đã được dùng cho sản phẩm của một chủ thể khác`,
      errors: [{ path: 'gtin', message: 'GTIN đã được dùng' }],
    });
  }
  return gtin;
}

async function checkReferences(tx: Db, input: ProductInput) {
  const producer = await findProducerRow(tx, input.producerId);
  if (!producer) throw new AppError('VALIDATION', { errors: [{ path: 'producerId', message: 'Không có chủ thể này' }] });
  await assertLeaf(tx, input.taxonomyNodeId);
  await assertRegistrableUnit(tx, input.registeredUnitId);
}

export async function createProduct(db: Db, writer: Writer, input: ProductInput) {
  if (isActor(writer) && !canWriteProduct(writer, input)) throw forbidden();
  assertRecognitionUnchanged(input, null);
  assertProducerFields(writer, input, null);
  try {
    return await db.transaction(async (tx) => {
      await checkReferences(tx, input);
      const gtin = await resolveGtin(tx, input, null);
      const row = await repo.insertProduct(tx, { ...columnsOf(input), gtin });
      await repo.replaceCertifications(tx, row.id, input.certifications);
      await repo.replaceChannels(tx, row.id, input.channels);
      await recordAudit(tx, writer, 'create', 'product', row.id, null, auditableProduct(row, input.certifications, input.channels));
      return row.id;
    }).then((id) => getProduct(db, id));
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

export async function updateProduct(db: Db, writer: Writer, id: string, version: number, input: ProductInput) {
  try {
    const updatedId = await db.transaction(async (tx) => {
      const before = await repo.findProductRow(tx, id);
      if (!before) throw notFound('Không tìm thấy sản phẩm');
      if (isActor(writer) && (!canWriteProduct(writer, before) || !canWriteProduct(writer, input))) throw forbidden();
      assertRecognitionUnchanged(input, before);
      assertProducerFields(writer, input, before);
      if (before.version !== version) throw new AppError('VERSION_CONFLICT');
      await checkReferences(tx, input);
      const certsBefore = await repo.findCertifications(tx, id);
      const chBefore = await repo.findChannels(tx, id);
      const gtin = await resolveGtin(tx, input, before);
      const after = await repo.updateProduct(tx, id, { ...columnsOf(input), gtin });
      await repo.replaceCertifications(tx, id, input.certifications);
      await repo.replaceChannels(tx, id, input.channels);
      await recordAudit(tx, writer, 'update', 'product', id, auditableProduct(before, certsBefore, chBefore), auditableProduct(after, input.certifications, input.channels));
      return id;
    });
    announceChange({ products: [updatedId] }); // the scan pages' cache (name, brand, standards)
    return getProduct(db, updatedId);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

// ------------------------------------------------------------------ bulk (Excel import)

/** What a bulk writer compares against: the stored row with its certifications and channels. */
export interface StoredProduct { row: ProductRow; certifications: CertificationRow[]; channels: ChannelRow[] }

/** Stored products by (producer, name) as the unique key compares names: index of the pair → row + child rows. */
export async function findStoredProducts(db: Db, pairs: { producerId: string; name: string }[]): Promise<Map<number, StoredProduct>> {
  const hits = await repo.findProductsByProducerAndNames(db, pairs);
  const ids = [...new Set([...hits.values()].map((r) => r.id))];
  const groupBy = <T extends { productId: string }>(xs: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of xs) m.set(x.productId, [...(m.get(x.productId) ?? []), x]);
    return m;
  };
  const certs = groupBy(await repo.findCertificationsOfMany(db, ids));
  const channels = groupBy(await repo.findChannelsOfMany(db, ids));
  return new Map([...hits].map(([i, row]) => [i, { row, certifications: certs.get(row.id) ?? [], channels: channels.get(row.id) ?? [] }]));
}

/**
 * Creates and updates many products in the caller's transaction (Excel import) with set operations: multi-row
 * inserts of the new ones, one UPDATE ... FROM (VALUES) per 500 changed ones (each only at the version read), their
 * certifications and channels replaced with one DELETE ... WHERE product_id IN (...) and multi-row inserts, and
 * the audit entries in multi-row inserts. Same rules as createProduct/updateProduct; references are checked once
 * per distinct producer, group and unit. Returns the product ids in the order given.
 */
export async function writeProductsTx(tx: Db, writer: Writer, items: { input: ProductInput; stored?: StoredProduct }[]): Promise<string[]> {
  for (const { input, stored } of items) {
    if (isActor(writer) && (!canWriteProduct(writer, input) || (stored && !canWriteProduct(writer, stored.row)))) throw forbidden();
    assertRecognitionUnchanged(input, stored?.row ?? null);
    assertProducerFields(writer, input, stored?.row ?? null);
  }
  try {
    for (const id of new Set(items.map((i) => i.input.taxonomyNodeId))) await assertLeaf(tx, id);
    for (const id of new Set(items.map((i) => i.input.registeredUnitId))) await assertRegistrableUnit(tx, id);
    const producerIds = [...new Set(items.map((i) => i.input.producerId))];
    const found = new Set((await findProducerRows(tx, producerIds)).map((p) => p.id));
    if (producerIds.some((id) => !found.has(id))) throw new AppError('VALIDATION', { errors: [{ path: 'producerId', message: 'Không có chủ thể này' }] });

    const fresh = items.filter((i) => !i.stored);
    const created = await repo.insertProducts(tx, fresh.map((i) => columnsOf(i.input)));
    const changed = items.filter((i) => i.stored);
    const updated = await repo.updateProducts(tx, changed.map((i) => ({ id: i.stored!.row.id, version: i.stored!.row.version, v: columnsOf(i.input) })));
    if (updated.length !== changed.length) throw new AppError('VERSION_CONFLICT', { detail: 'Có sản phẩm vừa được người khác sửa trong lúc nhập; hãy nhập lại tệp' });
    const ids = new Map<ProductInput, string>();
    fresh.forEach((i, n) => ids.set(i.input, created[n].id));
    changed.forEach((i) => ids.set(i.input, i.stored!.row.id));
    const all = items.map((i) => ({ ...i, id: ids.get(i.input)! }));
    // Products just created have no child rows: only the changed ones need the DELETE.
    await repo.replaceCertificationsOfMany(tx, changed.map((i) => i.stored!.row.id), all.flatMap((i) => i.input.certifications.map((c) => ({ ...c, productId: i.id }))));
    await repo.replaceChannelsOfMany(tx, changed.map((i) => i.stored!.row.id), all.flatMap((i) => i.input.channels.map((c) => ({ ...c, productId: i.id }))));
    const rowById = new Map([...created, ...updated].map((r) => [r.id, r]));
    await recordAuditMany(tx, writer, all.map((i) => ({
      action: i.stored ? 'update' : 'create', entityType: 'product', entityId: i.id,
      before: i.stored ? auditableProduct(i.stored.row, i.stored.certifications, i.stored.channels) : null,
      after: auditableProduct(rowById.get(i.id)!, i.input.certifications, i.input.channels),
    })));
    return all.map((i) => i.id);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

/** The recognition fields of many products at once (certificates module only; see writeRecognitionFields). */
export async function writeRecognitionFieldsMany(tx: Db, rows: Parameters<typeof repo.updateRecognitionMany>[1]) {
  return repo.updateRecognitionMany(tx, rows);
}

// ------------------------------------------------------------------ photos

const IMAGE_SIGNATURES: { type: string; ext: string; test: (b: Buffer) => boolean }[] = [
  { type: 'image/jpeg', ext: 'jpg', test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', ext: 'png', test: (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/webp', ext: 'webp', test: (b) => b.length > 12 && b.toString('ascii', 0, 4) === 'RIFF' && b.toString('ascii', 8, 12) === 'WEBP' },
];

/** Sniffs the bytes (never the file name or the client's content type) and decodes the image before anything is stored. */
export async function inspectImage(data: Buffer) {
  const { default: sharp } = await import('sharp');
  const sig = IMAGE_SIGNATURES.find((s) => s.test(data));
  if (!sig) throw new AppError('UNSUPPORTED_FILE', { detail: 'Chỉ nhận ảnh JPEG, PNG hoặc WebP' });
  const meta = await sharp(data).metadata().catch(() => undefined);
  if (!meta?.width || !meta.height) throw new AppError('UNSUPPORTED_FILE', { detail: 'Tệp ảnh bị hỏng hoặc không đọc được' });
  if (meta.width * meta.height > 60_000_000) throw new AppError('FILE_TOO_LARGE', { detail: 'Ảnh quá lớn (tối đa 60 megapixel)' });
  return { ...sig, width: meta.width, height: meta.height };
}

/**
 * The stored "original" is a re-encode, never the uploaded bytes: phone photos carry EXIF with the GPS position of
 * the farm or the producer's home, the camera and its serial, and these photos are shown on public scan pages.
 * `.rotate()` applies the EXIF orientation first (so the picture stays upright without it); sharp writes no
 * metadata unless asked (no EXIF, XMP, IPTC; colours converted to sRGB). Same format as uploaded, high quality.
 */
export async function reencodePhoto(data: Buffer, ext: string) {
  const { default: sharp } = await import('sharp');
  const img = sharp(data).rotate();
  const out = ext === 'png' ? img.png({ compressionLevel: 7 }) : ext === 'webp' ? img.webp({ quality: 90 }) : img.jpeg({ quality: 90, chromaSubsampling: '4:4:4' });
  const { data: original, info } = await out.toBuffer({ resolveWithObject: true });
  return { original, width: info.width, height: info.height };
}

export async function addPhoto(db: Db, storage: Storage, actor: Actor, productId: string, data: Buffer, caption: string | null) {
  const product = await getProductRow(db, productId);
  if (!canWriteProduct(actor, product)) throw forbidden();
  const img = await inspectImage(data);
  const { original, width, height } = await reencodePhoto(data, img.ext);
  const { default: sharp } = await import('sharp');
  // Thumbnails are small WebP squares-ish (max 480 px), made from the re-encoded (already upright) original.
  const thumb = await sharp(original).resize({ width: 480, height: 480, fit: 'inside', withoutEnlargement: true }).webp({ quality: 78 }).toBuffer();
  const storageKey = await storage.put('photos', img.ext, original);
  const thumbKey = await storage.put('thumbs', 'webp', thumb);
  try {
    const photo = await db.transaction(async (tx) => {
      const position = await repo.nextPhotoPosition(tx, productId);
      const ph = await repo.insertPhoto(tx, {
        productId, storageKey, thumbKey, contentType: img.type, bytes: original.length, width, height, caption, position,
      });
      await recordAudit(tx, actor, 'add_photo', 'product', productId, null, { photoId: ph.id, bytes: ph.bytes, width: ph.width, height: ph.height });
      return ph;
    });
    announceChange({ products: [productId] });
    return photo;
  } catch (err) {
    // Nothing half-written: files without a row are removed again.
    await Promise.all([storage.delete(storageKey), storage.delete(thumbKey)]);
    throw fromDbError(err) ?? err;
  }
}

export async function removePhoto(db: Db, storage: Storage, actor: Actor, productId: string, photoId: string) {
  const product = await getProductRow(db, productId);
  if (!canWriteProduct(actor, product)) throw forbidden();
  const ph = await repo.findPhoto(db, photoId);
  if (!ph || ph.productId !== productId) throw notFound('Không tìm thấy ảnh');
  await db.transaction(async (tx) => {
    await repo.deletePhoto(tx, photoId);
    await recordAudit(tx, actor, 'remove_photo', 'product', productId, { photoId }, null);
  });
  announceChange({ products: [productId] });
  await Promise.all([storage.delete(ph.storageKey), storage.delete(ph.thumbKey)]);
}

export async function readPhoto(db: Db, storage: Storage, actor: Actor, photoId: string, size: 'full' | 'thumb') {
  const ph = await repo.findPhoto(db, photoId);
  if (!ph) throw notFound('Không tìm thấy ảnh');
  const product = await getProductRow(db, ph.productId);
  if (!canReadProduct(actor, product)) throw forbidden();
  const key = size === 'thumb' ? ph.thumbKey : ph.storageKey;
  const data = await storage.get(key).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw notFound('Tệp ảnh không còn trên máy chủ');
    throw err;
  });
  return { data, contentType: size === 'thumb' ? 'image/webp' : ph.contentType };
}

/**
 * Sets (or clears) only the GTIN of a product, with the same checks as a full update (the demo seed and scripts; the
 * form sends the whole product).
 */
export async function setProductGtin(db: Db, writer: Writer, productId: string, gtin: string | null) {
  try {
    await db.transaction(async (tx) => {
      const before = await repo.findProductRow(tx, productId);
      if (!before) throw notFound('Không tìm thấy sản phẩm');
      if (isActor(writer) && !canWriteProduct(writer, before)) throw forbidden();
      const next = await resolveGtin(tx, { producerId: before.producerId, gtin } as ProductInput, before);
      await repo.updateProduct(tx, productId, { gtin: next });
      await recordAudit(tx, writer, 'update', 'product', productId, { gtin: before.gtin }, { gtin: next });
    });
    announceChange({ products: [productId] });
    return getProduct(db, productId);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

// Reads other modules use (they never query this module's tables themselves).
export const findProductRow = repo.findProductRow;
export const findProductRows = repo.findProductRows;

/**
 * The registry's recognition fields (current star, decision, certificate) are written only by the certificates
 * module, through this function, inside its own transaction. Nothing else may be passed here.
 */
export async function writeRecognitionFields(tx: Db, productId: string, fields: Pick<typeof products.$inferInsert, (typeof RECOGNITION_KEYS)[number]>) {
  const only = Object.fromEntries(RECOGNITION_KEYS.map((k) => [k, fields[k] ?? null]));
  return repo.updateProduct(tx, productId, only as Partial<typeof products.$inferInsert>);
}
