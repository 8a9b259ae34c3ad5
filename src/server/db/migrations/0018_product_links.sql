-- GS1 resolver (#14): links a product's owner (producer) or an officer in scope configures for its GS1 Digital Link
-- identifiers (docs/resolver.md). The platform's own links (the scan page as gs1:defaultLink, the certificate page,
-- the lot's journey) are computed and never stored here. One row per link type and language; `is_default` marks the
-- link a client gets for its link type when none matches its language (at most one per product and link type).
create table product_links (
  id          uuid primary key default gen_random_uuid(),
  product_id  uuid not null references products(id) on delete cascade,
  link_type   text not null check (link_type ~ '^(gs1|ocop):[A-Za-z]{2,40}$'),
  href        text not null check (href ~ '^https?://' and length(href) <= 2000),
  title       text not null check (length(title) between 1 and 200),
  lang        text not null check (lang in ('vi', 'en')),
  is_default  boolean not null default false,
  position    integer not null default 0,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  unique (product_id, link_type, lang)
);
create unique index product_links_one_default on product_links (product_id, link_type) where is_default;
