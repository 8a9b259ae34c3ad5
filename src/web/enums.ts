import type { Producer } from '../server/modules/producers/schema';
import type { Product } from '../server/modules/products/schema';
import type { Unit } from '../server/modules/geo/schema';
import type { User } from '../server/modules/users/schema';

/**
 * Enum values as the web app lists them. Records keyed by the server's types so a value added on the server
 * without a label here fails type-checking (and the bundle does not carry zod just for these lists).
 */
const keys = <K extends string>(r: Record<K, true>) => Object.keys(r) as K[];

export type ProducerKind = Producer['kind'];
export type ProcessingLevel = Product['processingLevel'];
export type CertificationType = Product['certifications'][number]['type'];
export type ChannelKind = Product['channels'][number]['kind'];
export type UnitType = Unit['type'];
export type Role = User['role'];

export const PRODUCER_KINDS = keys<ProducerKind>({ enterprise: true, cooperative: true, cooperative_group: true, household: true });
export const PROCESSING_LEVELS = keys<ProcessingLevel>({ fresh: true, pre_processed: true, processed: true, deep_processed: true });
export const CERTIFICATION_TYPES = keys<CertificationType>({ vietgap: true, globalgap: true, organic: true, haccp: true, iso22000: true, gmp: true, other: true });
export const CHANNEL_KINDS = keys<ChannelKind>({ supermarket: true, convenience_store: true, ocop_point: true, marketplace: true, other: true });
export const UNIT_TYPES = keys<UnitType>({ province: true, city: true, district: true, town: true, commune: true, ward: true, township: true, special_zone: true });
export const ROLES = keys<Role>({ admin: true, central_officer: true, province_officer: true, commune_officer: true, council_member: true, producer: true, viewer: true });
export const MARKETPLACES = ['Voso', 'Postmart', 'Sendo', 'Tiki', 'Shopee', 'Lazada', 'TikTok Shop'];
