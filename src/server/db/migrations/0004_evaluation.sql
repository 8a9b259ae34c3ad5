-- Criteria sets (versioned by decision), procedures, evaluation rounds, councils, score sheets, self-assessments.
create table criteria_sets (
  id               serial primary key,
  code             text not null unique,
  name             text not null,
  decision         text not null,
  signed_on        date,
  effective_from   date,
  taxonomy_version text not null references taxonomy_versions(code),
  part_maxima      jsonb not null,
  star_bands       jsonb not null,
  status           text not null default 'draft' check (status in ('draft', 'published')),
  is_demo          boolean not null default false,
  note             text,
  published_at     timestamptz,
  created_at       timestamptz not null default now(),
  check ((status = 'published') = (published_at is not null))
);

create table criteria_sheets (
  id               serial primary key,
  set_id           integer not null references criteria_sets(id),
  taxonomy_node_id integer not null references taxonomy_nodes(id),
  title            text not null,
  doc              jsonb not null,
  is_demo          boolean not null default false,
  note             text,
  updated_at       timestamptz not null default now(),
  unique (set_id, taxonomy_node_id)
);

-- A published set and its sheets never change: a new decision is a new set, old score sheets stay pinned.
create or replace function criteria_guard() returns trigger language plpgsql as $$
declare s text;
begin
  if tg_table_name = 'criteria_sets' then
    if old.status = 'published' then raise exception 'criteria set % is published and immutable', old.code using errcode = 'P0001'; end if;
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  select status into s from criteria_sets where id = coalesce(old.set_id, new.set_id);
  if s = 'published' then raise exception 'criteria sheet belongs to a published set' using errcode = 'P0001'; end if;
  if tg_op = 'UPDATE' and new.set_id <> old.set_id then
    select status into s from criteria_sets where id = new.set_id;
    if s = 'published' then raise exception 'criteria sheet belongs to a published set' using errcode = 'P0001'; end if;
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger criteria_sets_guard before update or delete on criteria_sets for each row execute function criteria_guard();
create trigger criteria_sheets_guard before update or delete on criteria_sheets for each row execute function criteria_guard();
create or replace function criteria_sheets_insert_guard() returns trigger language plpgsql as $$
begin
  if (select status from criteria_sets where id = new.set_id) = 'published' then
    raise exception 'criteria sheet belongs to a published set' using errcode = 'P0001';
  end if;
  return new;
end $$;
create trigger criteria_sheets_insert_guard before insert on criteria_sheets for each row execute function criteria_sheets_insert_guard();

create table procedure_versions (
  code           text primary key,
  name           text not null,
  decision       text not null,
  effective_from date,
  effective_to   date,
  doc            jsonb not null,
  note           text
);

create table rounds (
  id               uuid primary key default gen_random_uuid(),
  name             text not null,
  level            text not null check (level in ('commune', 'district', 'province', 'central')),
  unit_id          integer not null references admin_units(id),
  starts_on        date,
  ends_on          date,
  procedure_code   text not null references procedure_versions(code),
  criteria_set_id  integer not null references criteria_sets(id),
  spread_threshold numeric(6, 2) not null default 10 check (spread_threshold > 0),
  quorum_ratio     numeric(4, 3) not null default 0.75 check (quorum_ratio > 0 and quorum_ratio <= 1),
  status           text not null default 'draft' check (status in ('draft', 'scoring', 'results_open', 'finalised')),
  results_opened_at timestamptz,
  finalised_at     timestamptz,
  version          integer not null default 1,
  created_at       timestamptz not null default now(),
  check (ends_on is null or starts_on is null or ends_on >= starts_on)
);

create table round_members (
  round_id uuid not null references rounds(id) on delete cascade,
  user_id  uuid not null references users(id),
  role     text not null check (role in ('chair', 'vice_chair', 'member', 'secretary', 'advisor')),
  primary key (round_id, user_id)
);
create unique index round_one_chair_uq on round_members(round_id) where role = 'chair';

create table round_products (
  round_id        uuid not null references rounds(id) on delete cascade,
  product_id      uuid not null references products(id),
  sheet_id        integer not null references criteria_sheets(id),
  discussion_note text,
  result          jsonb,
  primary key (round_id, product_id)
);
create index round_products_product_idx on round_products(product_id);

create table conflicts (
  round_id    uuid not null references rounds(id) on delete cascade,
  product_id  uuid not null references products(id),
  user_id     uuid not null references users(id),
  reason      text not null check (reason in ('same_producer', 'family', 'business_partner', 'other')),
  note        text,
  declared_at timestamptz not null default now(),
  primary key (round_id, product_id, user_id)
);

create table score_sheets (
  id           uuid primary key default gen_random_uuid(),
  round_id     uuid not null references rounds(id) on delete cascade,
  product_id   uuid not null references products(id),
  member_id    uuid not null references users(id),
  sheet_id     integer not null references criteria_sheets(id),
  answers      jsonb not null default '{}'::jsonb,
  notes        jsonb not null default '{}'::jsonb,
  total        numeric(7, 3) not null default 0,
  part_totals  jsonb not null default '{}'::jsonb,
  status       text not null default 'draft' check (status in ('draft', 'submitted')),
  submitted_at timestamptz,
  updated_at   timestamptz not null default now(),
  version      integer not null default 1,
  -- One sheet per member per product per round.
  unique (round_id, product_id, member_id),
  check ((status = 'submitted') = (submitted_at is not null))
);
create index score_sheets_round_idx on score_sheets(round_id, product_id);

-- A submitted sheet is locked; only a reopening (back to draft, by the chair, with a reason) unlocks it.
create or replace function score_sheets_guard() returns trigger language plpgsql as $$
begin
  if old.status = 'submitted' and new.status = 'submitted'
     and (old.answers is distinct from new.answers or old.notes is distinct from new.notes or old.total is distinct from new.total) then
    raise exception 'score sheet is submitted and locked' using errcode = 'P0001';
  end if;
  return new;
end $$;
create trigger score_sheets_guard before update on score_sheets for each row execute function score_sheets_guard();

create table score_sheet_reopenings (
  id             bigserial primary key,
  score_sheet_id uuid not null references score_sheets(id) on delete cascade,
  reopened_by    uuid not null references users(id),
  reason         text not null check (length(btrim(reason)) > 0),
  previous_total numeric(7, 3) not null,
  at             timestamptz not null default now()
);

create table self_assessments (
  id          uuid primary key default gen_random_uuid(),
  product_id  uuid not null references products(id),
  sheet_id    integer not null references criteria_sheets(id),
  answers     jsonb not null default '{}'::jsonb,
  notes       jsonb not null default '{}'::jsonb,
  total       numeric(7, 3) not null default 0,
  updated_by  uuid references users(id),
  updated_at  timestamptz not null default now(),
  unique (product_id, sheet_id)
);
