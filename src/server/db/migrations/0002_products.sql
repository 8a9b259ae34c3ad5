-- Products of the registry with their certifications, sales channels and photos.
create table products (
  id                     uuid primary key default gen_random_uuid(),
  producer_id            uuid not null references producers(id),
  name                   text not null check (length(btrim(name)) > 0),
  taxonomy_node_id       integer not null references taxonomy_nodes(id),
  registered_unit_id     integer not null references admin_units(id),
  processing_level       text not null check (processing_level in ('fresh', 'pre_processed', 'processed', 'deep_processed')),
  brand                  text,
  description            text,
  story                  text,
  raw_material_area      text,
  key_product            boolean not null default false,
  -- Current recognition; owned by the certificate module once it exists (until then edited by officers).
  stars                  smallint check (stars between 1 and 5),
  recognition_year       integer check (recognition_year between 2018 and 2100),
  decision_number        text,
  decision_date          date,
  certificate_number     text,
  certificate_issuer     text,
  certificate_expires_on date,
  is_demo                boolean not null default false,
  sources                jsonb not null default '[]'::jsonb,
  search_text            text not null default '',
  version                integer not null default 1,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  check (certificate_expires_on is null or decision_date is null or certificate_expires_on > decision_date)
);
-- One product name per producer (accent- and case-insensitive): keeps Excel re-imports idempotent.
create unique index products_producer_name_uq on products(producer_id, f_norm(name));
create index products_search_trgm on products using gin (search_text gin_trgm_ops);
create index products_unit_idx on products(registered_unit_id);
create index products_taxonomy_idx on products(taxonomy_node_id);
create index products_stars_idx on products(stars);
create index products_name_sort_idx on products(f_norm(name), id);
create index products_updated_idx on products(updated_at desc, id);

-- search_text = product name + producer names, kept by the database so no write path can forget it.
create or replace function products_search_text() returns trigger language plpgsql as $$
begin
  new.search_text := f_norm(new.name || ' ' || coalesce(new.brand, '') || ' ' ||
    coalesce((select legal_name || ' ' || coalesce(short_name, '') from producers where id = new.producer_id), ''));
  return new;
end $$;
create trigger products_search_text_trg before insert or update of name, brand, producer_id on products
  for each row execute function products_search_text();

create or replace function producers_propagate_search() returns trigger language plpgsql as $$
begin
  update products set name = name where producer_id = new.id;
  return null;
end $$;
create trigger producers_propagate_search_trg after update of legal_name, short_name on producers
  for each row when (old.legal_name is distinct from new.legal_name or old.short_name is distinct from new.short_name)
  execute function producers_propagate_search();

create table product_certifications (
  id         uuid primary key default gen_random_uuid(),
  product_id uuid not null references products(id) on delete cascade,
  type       text not null check (type in ('vietgap', 'globalgap', 'organic', 'haccp', 'iso22000', 'gmp', 'other')),
  name       text,
  issuer     text,
  number     text,
  valid_from date,
  valid_to   date,
  check (valid_to is null or valid_from is null or valid_to >= valid_from)
);
create index product_certifications_product_idx on product_certifications(product_id);
create index product_certifications_type_idx on product_certifications(type, product_id);

create table product_channels (
  id         uuid primary key default gen_random_uuid(),
  product_id uuid not null references products(id) on delete cascade,
  kind       text not null check (kind in ('supermarket', 'convenience_store', 'ocop_point', 'marketplace', 'other')),
  name       text not null default '',
  url        text,
  unique (product_id, kind, name)
);
create index product_channels_kind_idx on product_channels(kind, product_id);

create table product_photos (
  id           uuid primary key default gen_random_uuid(),
  product_id   uuid not null references products(id) on delete cascade,
  storage_key  text not null,
  thumb_key    text not null,
  content_type text not null,
  bytes        integer not null check (bytes > 0),
  width        integer not null,
  height       integer not null,
  caption      text,
  position     integer not null default 0,
  created_at   timestamptz not null default now()
);
create index product_photos_product_idx on product_photos(product_id, position);
