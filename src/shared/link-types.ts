/**
 * Link types of the GS1 resolver (docs/resolver.md): GS1 Web Vocabulary link types (https://gs1.org/voc/) and the
 * platform's own (`ocop:`). Shared by the resolver (server), the product links API and the product screen (web).
 */
export const GS1_VOC = 'https://gs1.org/voc/';
/** The namespace of the platform's own link types (a page of docs/resolver.md describes each). */
export const OCOP_VOC_PATH = '/voc/';

/** Link types the platform computes for every product: never stored, never configured. */
export const COMPUTED_LINK_TYPES = ['gs1:defaultLink', 'ocop:certificate', 'ocop:report'] as const;

/** Link types a product's owner or an officer may configure (product_links). */
export const CONFIGURABLE_LINK_TYPES = [
  'gs1:pip',
  'gs1:certificationInfo',
  'gs1:traceability',
  'gs1:epcis',
  'gs1:instructions',
  'gs1:recallStatus',
  'gs1:sustainabilityInfo',
  'gs1:ingredientsInfo',
  'gs1:nutritionalInfo',
  'gs1:allergenInfo',
  'gs1:relatedVideo',
  'gs1:promotion',
  'gs1:review',
  'ocop:catalogue',
  'ocop:producerSite',
] as const;
export type ConfigurableLinkType = (typeof CONFIGURABLE_LINK_TYPES)[number];

/** Every link type the resolver may answer, for its description document. */
export const SUPPORTED_LINK_TYPES = [...COMPUTED_LINK_TYPES, ...CONFIGURABLE_LINK_TYPES] as const;
export type LinkType = (typeof SUPPORTED_LINK_TYPES)[number];

/**
 * Types whose platform-computed link comes before a configured one when a client asks for that type: the OCOP
 * certificate and the lot's journey are the platform's word; for the others (product page, instructions…) the
 * owner's own page is preferred.
 */
export const PLATFORM_FIRST: ReadonlySet<string> = new Set(['gs1:defaultLink', 'gs1:certificationInfo', 'gs1:traceability', 'ocop:certificate', 'ocop:report']);

export const LINK_LANGS = ['vi', 'en'] as const;
export type LinkLang = (typeof LINK_LANGS)[number];

/** `gs1:pip` → `https://gs1.org/voc/pip`; `ocop:catalogue` → `<base>/voc/catalogue`. */
export function linkTypeUri(type: string, base: string): string {
  const [ns, name] = type.split(':');
  return ns === 'gs1' ? GS1_VOC + name : `${base}${OCOP_VOC_PATH}${name}`;
}

/** Reads a linkType query value: a CURIE (`gs1:pip`), a full GS1 URI, or `all`. Unknown → null. */
export function readLinkType(v: string, base: string): LinkType | 'all' | null {
  if (v === 'all') return 'all';
  let curie = v;
  if (v.startsWith(GS1_VOC)) curie = `gs1:${v.slice(GS1_VOC.length)}`;
  else if (v.startsWith(`${base}${OCOP_VOC_PATH}`)) curie = `ocop:${v.slice(base.length + OCOP_VOC_PATH.length)}`;
  return (SUPPORTED_LINK_TYPES as readonly string[]).includes(curie) ? (curie as LinkType) : null;
}
