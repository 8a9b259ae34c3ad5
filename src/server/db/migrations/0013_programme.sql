-- Programme (#11), first slice: plans and their targets as data. A plan belongs to the area it was written for (the
-- unit as it was, e.g. huyện Lục Ngạn); indicators are computed from the registry, never stored here.

create table programme_plans (
  id               uuid primary key default gen_random_uuid(),
  -- Stable key: seeds are idempotent by it, copies get a new one.
  code             text not null check (code ~ '^[a-z0-9][a-z0-9-]{1,60}$'),
  title            text not null check (length(btrim(title)) > 0),
  issuing_unit     text not null check (length(btrim(issuing_unit)) > 0),
  document_number  text,
  issued_on        date,
  legal_basis      jsonb not null default '[]'::jsonb check (jsonb_typeof(legal_basis) = 'array'),
  area_unit_id     integer not null references admin_units(id),
  period_from      integer not null check (period_from between 2000 and 2100),
  period_to        integer not null check (period_to between 2000 and 2100),
  status           text not null default 'draft' check (status in ('draft', 'in_force', 'closed')),
  copied_from_id   uuid references programme_plans(id),
  note             text,
  is_demo          boolean not null default false,
  version          integer not null default 1,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  constraint programme_plans_period_ck check (period_to >= period_from)
);
create unique index programme_plans_code_uq on programme_plans(code);
create index programme_plans_area_idx on programme_plans(area_unit_id);

create table programme_targets (
  id               uuid primary key default gen_random_uuid(),
  plan_id          uuid not null references programme_plans(id) on delete cascade,
  -- Indicator code (src/server/modules/programme/indicators.ts lists the definitions); kept as text so a target can
  -- be recorded before its indicator can be computed (the panel says "not measured yet").
  indicator        text not null check (indicator ~ '^[a-z0-9_]{2,60}$'),
  -- null = by the end of the period; otherwise the target for that calendar year.
  year             integer check (year between 2000 and 2100),
  -- A target for one commune (the unit as named in the plan), or the same target for each commune of the area.
  commune_unit_id  integer references admin_units(id),
  per_commune      boolean not null default false,
  value_min        numeric(14, 2),
  value_max        numeric(14, 2),
  unit             text not null check (unit in ('count', 'percent', 'million_vnd')),
  -- Budget targets by funding source (appendix 03); null for every other indicator.
  funding_source   text,
  label            text,
  note             text,
  position         integer not null default 0,
  constraint programme_targets_value_ck check (value_min is not null or value_max is not null),
  constraint programme_targets_range_ck check (value_min is null or value_max is null or value_min <= value_max),
  constraint programme_targets_percent_ck check (unit <> 'percent' or (coalesce(value_min, 0) between 0 and 100 and coalesce(value_max, 0) between 0 and 100)),
  constraint programme_targets_commune_ck check (not (per_commune and commune_unit_id is not null))
);
create index programme_targets_plan_idx on programme_targets(plan_id, position);
-- One target per indicator, year, commune and source within a plan.
create unique index programme_targets_uq on programme_targets(plan_id, indicator, coalesce(year, 0), coalesce(commune_unit_id, 0), per_commune, coalesce(funding_source, ''));

-- Support activities (#11 item 5): what the programme paid for or did for a product or a producer.
create table support_activities (
  id               uuid primary key default gen_random_uuid(),
  producer_id      uuid not null references producers(id),
  product_id       uuid references products(id),
  type             text not null check (type in ('labels_packaging', 'traceability_stamps', 'trademark_gi', 'website_ecommerce',
                     'testing', 'quality_certification', 'trade_promotion', 'equipment_infrastructure', 'training')),
  description      text not null check (length(btrim(description)) > 0),
  -- Money in integer VND.
  amount_vnd       bigint not null check (amount_vnd >= 0),
  funding_source   text not null check (funding_source in ('central_ntm', 'province_budget', 'district_budget', 'science_technology',
                     'agricultural_extension', 'industrial_extension', 'trade_promotion', 'mobilised', 'other')),
  activity_date    date not null,
  status           text not null default 'planned' check (status in ('planned', 'in_progress', 'done', 'cancelled')),
  note             text,
  version          integer not null default 1,
  created_by       uuid references users(id),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create index support_activities_producer_idx on support_activities(producer_id, activity_date desc);
create index support_activities_product_idx on support_activities(product_id) where product_id is not null;
create index support_activities_date_idx on support_activities(activity_date);

-- Events (#11 item 7): fairs, exhibitions, trade-promotion conferences, training, awareness and live-selling sessions.
create table programme_events (
  id                uuid primary key default gen_random_uuid(),
  type              text not null check (type in ('fair', 'exhibition', 'trade_conference', 'training', 'awareness', 'live_selling')),
  title             text not null check (length(btrim(title)) > 0),
  starts_on         date not null,
  ends_on           date not null,
  place             text,
  organiser         text,
  -- The unit that held it (for scope and for the plan's area).
  unit_id           integer not null references admin_units(id),
  cost_vnd          bigint not null default 0 check (cost_vnd >= 0),
  funding_source    text check (funding_source in ('central_ntm', 'province_budget', 'district_budget', 'science_technology',
                      'agricultural_extension', 'industrial_extension', 'trade_promotion', 'mobilised', 'other')),
  attendance        integer check (attendance >= 0),
  sales_vnd         bigint check (sales_vnd >= 0),
  contracts_signed  integer check (contracts_signed >= 0),
  follow_up         text,
  status            text not null default 'planned' check (status in ('planned', 'held', 'cancelled')),
  version           integer not null default 1,
  created_by        uuid references users(id),
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  constraint programme_events_dates_ck check (ends_on >= starts_on)
);
create index programme_events_unit_idx on programme_events(unit_id, starts_on);
create index programme_events_date_idx on programme_events(starts_on);

create table programme_event_participants (
  event_id     uuid not null references programme_events(id) on delete cascade,
  producer_id  uuid not null references producers(id),
  product_id   uuid references products(id),
  primary key (event_id, producer_id)
);

-- Budget (#11 item 6): commitments and disbursements against a plan's budget (targets with unit million_vnd by
-- funding source and year), linked to the support activity or event they pay for. Going over the plan records why.
create table budget_entries (
  id                   uuid primary key default gen_random_uuid(),
  plan_id              uuid not null references programme_plans(id),
  kind                 text not null check (kind in ('commitment', 'disbursement')),
  funding_source       text not null check (funding_source in ('central_ntm', 'province_budget', 'district_budget', 'science_technology',
                         'agricultural_extension', 'industrial_extension', 'trade_promotion', 'mobilised', 'other')),
  entry_date           date not null,
  amount_vnd           bigint not null check (amount_vnd > 0),
  support_activity_id  uuid references support_activities(id),
  event_id             uuid references programme_events(id),
  description          text not null check (length(btrim(description)) > 0),
  -- Set when the officer went on past the overspending warning: the reason is part of the record.
  override_reason      text,
  created_by           uuid references users(id),
  created_at           timestamptz not null default now(),
  constraint budget_entries_link_ck check (support_activity_id is null or event_id is null)
);
create index budget_entries_plan_idx on budget_entries(plan_id, funding_source, entry_date);
