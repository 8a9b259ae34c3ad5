-- Programme (#11): craft villages as reference data (làng nghề, làng nghề truyền thống), the village a producer
-- belongs to, and evidence files linked to support activities.

-- A craft village recognised in a unit (the commune as it was when recorded; records keep their unit through
-- reorganisations, like every other record). Managed by province-wide officers; the programme indicator
-- "share_craft_village" counts producers that belong to one recognised on the date.
create table craft_villages (
  id             uuid primary key default gen_random_uuid(),
  name           text not null check (length(btrim(name)) > 0),
  unit_id        integer not null references admin_units(id),
  kind           text not null default 'craft_village' check (kind in ('craft_village', 'traditional')),
  -- The trade (nghề): e.g. "chế biến mỳ gạo", "nuôi ong lấy mật".
  craft          text,
  -- Recognition by the provincial People's Committee: decision number and date; revoked_on ends it.
  decision       text,
  recognised_on  date,
  revoked_on     date,
  note           text,
  -- Demo villages (the Lục Ngạn demo) are invented or not checked against the decisions: say so everywhere.
  is_demo        boolean not null default false,
  version        integer not null default 1,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  constraint craft_villages_dates_ck check (revoked_on is null or recognised_on is null or revoked_on >= recognised_on)
);
create unique index craft_villages_name_uq on craft_villages(unit_id, f_norm(name));
create index craft_villages_unit_idx on craft_villages(unit_id);

-- A producer belongs to at most one craft village (officers set it; the old free-text column stays as a note).
alter table producers add column craft_village_id uuid references craft_villages(id);
create index producers_craft_village_idx on producers(craft_village_id) where craft_village_id is not null;

-- Evidence of a support activity (acceptance minutes, invoices, the designed label…): a link to a document of the
-- supported producer's locker, never a copy. Deleting a linked document is refused (foreign key → IN_USE).
create table support_evidence (
  support_activity_id  uuid not null references support_activities(id) on delete cascade,
  evidence_id          uuid not null references evidence(id),
  linked_by            uuid references users(id),
  linked_at            timestamptz not null default now(),
  primary key (support_activity_id, evidence_id)
);
create index support_evidence_evidence_idx on support_evidence(evidence_id);
