-- Recognition governance (#10): a central (ministry) staff role, central rounds without an administrative unit,
-- the council's minimum of valid sheets per round, substitutes and late conflicts recorded by the chair,
-- the issuing level on every certificate, and expiries recorded once.

alter table users drop constraint if exists users_role_check;
alter table users add constraint users_role_check
  check (role in ('admin', 'central_officer', 'province_officer', 'commune_officer', 'council_member', 'producer', 'viewer'));

-- The central council (the ministry) sits for the whole country: no administrative unit. Every other level has one.
alter table rounds alter column unit_id drop not null;
alter table rounds add constraint rounds_unit_per_level_check check ((level = 'central') = (unit_id is null));
-- Minimum number of valid (submitted, not conflicted) sheets for a product's result; null = the procedure's rule.
alter table rounds add column min_valid_sheets smallint check (min_valid_sheets is null or min_valid_sheets between 1 and 40);

-- A substitute member added by the chair (who they replace, why, when).
alter table round_members add column substitute_for uuid references users(id);
alter table round_members add column added_reason text;
alter table round_members add column added_at timestamptz;
alter table round_members add column added_by uuid references users(id);

-- A conflict discovered after the member submitted is recorded by the chair with a reason; it voids that sheet.
alter table conflicts add column recorded_by uuid references users(id);
alter table conflicts add column voids_sheet boolean not null default false;

-- Which level's authority issued the certificate (commune | district | province | central); null on rows recorded
-- before this migration.
alter table certificates add column issuing_level text check (issuing_level in ('commune', 'district', 'province', 'central'));

-- Expiry recorded once per certificate by the daily job (the product loses its star in the registry that day).
create table certificate_expiries (
  certificate_id uuid primary key references certificates(id),
  product_id     uuid not null references products(id),
  expired_on     date not null,
  recorded_at    timestamptz not null default now()
);

-- A forwarded dossier waits for the next level's council: it stays "in progress" (one per product) and remembers the
-- round that forwarded it (whose level recognises a lower star if the higher council scores below its own band).
drop index if exists dossiers_open_per_product_uq;
create unique index dossiers_open_per_product_uq on dossiers(product_id)
  where status in ('draft', 'submitted', 'returned', 'accepted', 'assigned', 'evaluated', 'forwarded');
alter table dossiers add column forwarded_from_round_id uuid references rounds(id);
-- Levels the dossier went through, oldest first: [{roundId, level, result}] (the timeline shows every level).
alter table dossiers add column level_results jsonb not null default '[]'::jsonb;
