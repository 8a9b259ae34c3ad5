import { todayInVietnam } from '../../../shared/certificate-dates.js';
import type { ProductJoined, ProductListRow } from './repository.js';
import type { CertificationRow, ChannelRow, PhotoRow } from './tables.js';
import type { Product, ProductSummary } from './schema.js';

type GtinInfo = Product['gtinInfo'];

export const photoUrl = (id: string, size: 'full' | 'thumb') => `/api/photos/${id}/${size}`;

/** The star of the certificate in force today; an expired certificate's star stays in the history, not here. */
export const effectiveStars = (p: { stars: number | null; certificateExpiresOn: string | null }, today = todayInVietnam()) =>
  p.stars !== null && p.certificateExpiresOn !== null && p.certificateExpiresOn >= today ? p.stars : null;

export function presentProductSummary(j: ProductListRow | ProductJoined): ProductSummary {
  const p = j.product;
  return {
    id: p.id,
    name: p.name,
    producer: { id: p.producerId, legalName: j.producerName, kind: j.producerKind as ProductSummary['producer']['kind'], address: j.producerAddress },
    taxonomy: { id: p.taxonomyNodeId, code: j.taxCode, name: j.taxName, version: j.taxVersion, path: j.taxPath },
    unit: { id: p.registeredUnitId, code: j.unitCode, name: j.unitName, type: j.unitType },
    processingLevel: p.processingLevel as ProductSummary['processingLevel'],
    stars: effectiveStars(p),
    expiredStars: p.stars !== null && effectiveStars(p) === null ? p.stars : null,
    recognitionYear: p.recognitionYear,
    certificateNumber: p.certificateNumber,
    certificateExpiresOn: p.certificateExpiresOn,
    keyProduct: p.keyProduct,
    gtin: p.gtin,
    isDemo: p.isDemo,
    thumbnailUrl: j.thumbPhotoId ? photoUrl(j.thumbPhotoId, 'thumb') : null,
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function presentProduct(j: ProductJoined, certs: CertificationRow[], channels: ChannelRow[], photos: PhotoRow[], today: string, gtinInfo: GtinInfo = null): Product {
  const p = j.product;
  return {
    ...presentProductSummary(j),
    brand: p.brand,
    description: p.description,
    story: p.story,
    rawMaterialArea: p.rawMaterialArea,
    sources: p.sources ?? [],
    certifications: certs.map((c) => ({
      id: c.id, type: c.type as Product['certifications'][number]['type'], name: c.name, issuer: c.issuer, number: c.number,
      validFrom: c.validFrom, validTo: c.validTo, expired: Boolean(c.validTo && c.validTo < today),
    })),
    channels: channels.map((c) => ({ id: c.id, kind: c.kind as Product['channels'][number]['kind'], name: c.name, url: c.url })),
    recognition: {
      stars: p.stars, recognitionYear: p.recognitionYear, decisionNumber: p.decisionNumber, decisionDate: p.decisionDate,
      certificateNumber: p.certificateNumber, certificateIssuer: p.certificateIssuer, certificateExpiresOn: p.certificateExpiresOn,
    },
    photos: photos.map((ph) => ({
      id: ph.id, url: photoUrl(ph.id, 'full'), thumbnailUrl: photoUrl(ph.id, 'thumb'),
      width: ph.width, height: ph.height, bytes: ph.bytes, caption: ph.caption,
    })),
    gtinInfo,
    version: p.version,
  };
}

/**
 * What the audit trail keeps of a product write: business fields plus its certifications and channels.
 * Lists are sorted, so the same set in another order (stored rows vs. the submitted form) is not a change.
 */
export function auditableProduct(p: Record<string, unknown>, certs: unknown[], channels: unknown[]) {
  const { createdAt: _c, updatedAt: _u, version: _v, searchText: _s, ...rest } = p;
  const strip = (xs: unknown[]) => xs
    .map((x) => {
      const { id: _i, productId: _p, ...r } = x as Record<string, unknown>;
      return r;
    })
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
  return { ...rest, certifications: strip(certs), channels: strip(channels) };
}
