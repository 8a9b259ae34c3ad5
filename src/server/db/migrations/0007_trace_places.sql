-- Traceability (#5), first slice: the places a lot comes from. Growing areas carry the export growing-area code
-- (mã số vùng trồng) and packing houses the packing-house code (mã số cơ sở đóng gói), both issued by the plant
-- protection authority for target markets and valid for a period.

create table growing_areas (
  id                 uuid primary key default gen_random_uuid(),
  code               text not null check (code ~ '^[A-Z0-9-]{3,40}$'),
  crop               text not null check (length(btrim(crop)) > 0),
  area_ha            numeric(10, 2) not null check (area_ha > 0),
  households         integer check (households >= 0),
  -- The owner is a registered producer (usually a cooperative) or, when it is not registered here, a name.
  owner_producer_id  uuid references producers(id),
  owner_name         text,
  unit_id            integer not null references admin_units(id),
  -- GeoJSON Point or Polygon (WGS 84, [lng, lat]); the shape is validated by the API.
  location           jsonb check (location is null or location->>'type' in ('Point', 'Polygon')),
  markets            text[] not null default '{}'
                       check (markets <@ array['cn', 'jp', 'us', 'eu', 'au', 'kr', 'domestic', 'other']::text[]),
  issuing_authority  text,
  issued_on          date,
  valid_to           date,
  search_text        text generated always as (f_norm(code || ' ' || crop || ' ' || coalesce(owner_name, ''))) stored,
  version            integer not null default 1,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  constraint growing_areas_owner_ck check (owner_producer_id is not null or length(btrim(coalesce(owner_name, ''))) > 0),
  constraint growing_areas_validity_ck check (valid_to is null or issued_on is null or valid_to >= issued_on)
);
create unique index growing_areas_code_uq on growing_areas(code);
create index growing_areas_owner_idx on growing_areas(owner_producer_id);
create index growing_areas_unit_idx on growing_areas(unit_id);
create index growing_areas_markets_idx on growing_areas using gin (markets);
create index growing_areas_search_trgm on growing_areas using gin (search_text gin_trgm_ops);
create index growing_areas_updated_idx on growing_areas(updated_at desc, id);

create table packing_houses (
  id                 uuid primary key default gen_random_uuid(),
  code               text not null check (code ~ '^[A-Z0-9-]{3,40}$'),
  name               text not null check (length(btrim(name)) > 0),
  owner_producer_id  uuid references producers(id),
  owner_name         text,
  unit_id            integer not null references admin_units(id),
  markets            text[] not null default '{}'
                       check (markets <@ array['cn', 'jp', 'us', 'eu', 'au', 'kr', 'domestic', 'other']::text[]),
  issuing_authority  text,
  issued_on          date,
  valid_to           date,
  search_text        text generated always as (f_norm(code || ' ' || name || ' ' || coalesce(owner_name, ''))) stored,
  version            integer not null default 1,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  constraint packing_houses_owner_ck check (owner_producer_id is not null or length(btrim(coalesce(owner_name, ''))) > 0),
  constraint packing_houses_validity_ck check (valid_to is null or issued_on is null or valid_to >= issued_on)
);
create unique index packing_houses_code_uq on packing_houses(code);
create index packing_houses_owner_idx on packing_houses(owner_producer_id);
create index packing_houses_unit_idx on packing_houses(unit_id);
create index packing_houses_markets_idx on packing_houses using gin (markets);
create index packing_houses_search_trgm on packing_houses using gin (search_text gin_trgm_ops);
create index packing_houses_updated_idx on packing_houses(updated_at desc, id);
