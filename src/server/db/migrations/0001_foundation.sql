-- Foundation: search helpers, administrative units over time, taxonomy, users and sessions, audit.
create extension if not exists unaccent;
create extension if not exists pg_trgm;

-- Immutable wrapper so expressions over unaccent can be indexed ("vai thieu" finds "Vải thiều", "d" finds "đ").
create or replace function f_unaccent(text) returns text
  language sql immutable parallel safe strict
  as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- Search form of a text: unaccented, lower case. JS twin: src/shared/text.ts normalizeForSearch().
create or replace function f_norm(text) returns text
  language sql immutable parallel safe strict
  as $$ select lower(public.f_unaccent($1)) $$;

-- ---------------------------------------------------------------- administrative units over time
create table admin_units (
  id          serial primary key,
  key         text not null unique,
  code        text,
  code_status text not null default 'none' check (code_status in ('official', 'inferred', 'none')),
  name        text not null check (length(btrim(name)) > 0),
  type        text not null check (type in ('province', 'district', 'town', 'commune', 'ward', 'township')),
  level       smallint not null check (level between 1 and 3),
  parent_id   integer references admin_units(id),
  valid_from  date,
  valid_to    date,
  note        text,
  source      text,
  check (valid_to is null or valid_from is null or valid_to >= valid_from),
  check ((code is null) = (code_status = 'none')),
  check ((type = 'province') = (level = 1)),
  check ((type in ('district', 'town')) = (level = 2))
);
create index admin_units_parent_idx on admin_units(parent_id);
-- An official code identifies one unit at a time: the same code may come back on a successor later.
create unique index admin_units_code_from_uq on admin_units(code, coalesce(valid_from, '0001-01-01'::date)) where code is not null;

create table admin_unit_successions (
  id             serial primary key,
  predecessor_id integer not null references admin_units(id),
  successor_id   integer not null references admin_units(id),
  effective_on   date not null,
  kind           text not null check (kind in ('merge', 'split', 'rename', 'reclassify', 'transfer')),
  note           text,
  unique (predecessor_id, successor_id),
  check (predecessor_id <> successor_id)
);
create index admin_unit_successions_succ_idx on admin_unit_successions(successor_id);

-- ---------------------------------------------------------------- product taxonomy (QĐ 1048, QĐ 148, …)
create table taxonomy_versions (
  code           text primary key,
  decision       text not null,
  signed_on      date,
  effective_from date,
  effective_to   date,
  note           text
);

create table taxonomy_nodes (
  id        serial primary key,
  version   text not null references taxonomy_versions(code),
  code      text not null,
  name      text not null,
  level     text not null check (level in ('sector', 'group', 'subgroup')),
  parent_id integer references taxonomy_nodes(id),
  is_leaf   boolean not null default false,
  verify    boolean not null default false,
  unique (version, code)
);
create index taxonomy_nodes_parent_idx on taxonomy_nodes(parent_id);

create table taxonomy_mappings (
  from_node_id integer not null references taxonomy_nodes(id),
  to_node_id   integer not null references taxonomy_nodes(id),
  note         text,
  primary key (from_node_id, to_node_id)
);

-- ---------------------------------------------------------------- producers (chủ thể OCOP)
create table producers (
  id                   uuid primary key default gen_random_uuid(),
  kind                 text not null check (kind in ('enterprise', 'cooperative', 'cooperative_group', 'household')),
  legal_name           text not null check (length(btrim(legal_name)) > 0),
  short_name           text,
  registration_number  text not null unique,
  unit_id              integer not null references admin_units(id),
  address              text,
  representative       text,
  representative_title text,
  phone                text,
  email                text,
  website              text,
  founded_year         integer check (founded_year between 1900 and 2100),
  member_count         integer check (member_count >= 0),
  worker_count         integer check (worker_count >= 0),
  craft_village        text,
  notes                text,
  is_demo              boolean not null default false,
  sources              jsonb not null default '[]'::jsonb,
  search_text          text generated always as (f_norm(legal_name || ' ' || coalesce(short_name, '') || ' ' || registration_number)) stored,
  version              integer not null default 1,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now()
);
create index producers_search_trgm on producers using gin (search_text gin_trgm_ops);
create index producers_unit_idx on producers(unit_id);
create index producers_name_sort_idx on producers(f_norm(legal_name));

-- ---------------------------------------------------------------- users and sessions
create table users (
  id                   uuid primary key default gen_random_uuid(),
  login                text not null,
  full_name            text not null,
  email                text,
  phone                text,
  password_hash        text not null,
  role                 text not null check (role in ('admin', 'province_officer', 'commune_officer', 'council_member', 'producer', 'viewer')),
  producer_id          uuid references producers(id),
  is_active            boolean not null default true,
  locale               text not null default 'vi' check (locale in ('vi', 'en')),
  password_changed_at  timestamptz not null default now(),
  last_login_at        timestamptz,
  version              integer not null default 1,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  -- A producer user is bound to exactly one producer; nobody else is.
  check ((role = 'producer') = (producer_id is not null))
);
create unique index users_login_uq on users(lower(login));

create table user_units (
  user_id uuid not null references users(id) on delete cascade,
  unit_id integer not null references admin_units(id),
  primary key (user_id, unit_id)
);

create table sessions (
  id           text primary key,           -- sha256 of the cookie token; the token itself is never stored
  user_id      uuid not null references users(id) on delete cascade,
  csrf_token   text not null,
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at   timestamptz not null,
  ip           text,
  user_agent   text
);
create index sessions_user_idx on sessions(user_id);

-- ---------------------------------------------------------------- audit trail
create table audit_log (
  id          bigserial primary key,
  at          timestamptz not null default now(),
  actor_id    uuid references users(id),
  actor_label text not null,
  action      text not null,
  entity_type text not null,
  entity_id   text not null,
  before      jsonb,
  after       jsonb
);
create index audit_log_entity_idx on audit_log(entity_type, entity_id, at desc);
