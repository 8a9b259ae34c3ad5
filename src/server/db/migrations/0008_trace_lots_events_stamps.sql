-- Traceability (#5), second slice: lots, their GS1 EPCIS 2.0 events, numbered QR stamp ranges, the public scan log,
-- the flags it raises for officers and the problems consumers report.

-- A lot (lô) of one product. The lot number is GS1 AI (10): 1–20 characters of the GS1 82-character set (checked by
-- the API with shared/gs1.ts; the database keeps the cheap part). The GTIN is stored as GTIN-14.
create table lots (
  id               uuid primary key default gen_random_uuid(),
  product_id       uuid not null references products(id),
  -- The product's producer when the lot was created: who may record on the lot (products never change producer).
  producer_id      uuid not null references producers(id),
  lot_number       text not null check (lot_number ~ '^[!-~]{1,20}$'),
  gtin             text check (gtin ~ '^[0-9]{14}$'),
  produced_on      date not null,
  quantity         numeric(14, 3) not null check (quantity > 0),
  -- UN/ECE Recommendation 20 unit codes, as EPCIS quantityList uses them.
  quantity_unit    text not null check (quantity_unit in ('KGM', 'TNE', 'GRM', 'LTR', 'MLT', 'H87')),
  best_before      date,
  packing_house_id uuid references packing_houses(id),
  notes            text,
  version          integer not null default 1,
  created_by       uuid references users(id),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  constraint lots_best_before_ck check (best_before is null or best_before >= produced_on)
);
create unique index lots_product_number_uq on lots(product_id, lot_number);
create index lots_producer_idx on lots(producer_id, produced_on desc);
create index lots_product_idx on lots(product_id, produced_on desc, id);
create index lots_gtin_number_idx on lots(gtin, lot_number) where gtin is not null;

-- Source growing areas of a lot (a lychee lot may come from several registered areas).
create table lot_growing_areas (
  lot_id          uuid not null references lots(id) on delete cascade,
  growing_area_id uuid not null references growing_areas(id),
  primary key (lot_id, growing_area_id)
);
create index lot_growing_areas_area_idx on lot_growing_areas(growing_area_id);

-- One EPCIS 2.0 event. `document` is the event exactly as EPCIS JSON-LD (what export returns and import stores);
-- the other columns are what the platform queries by. Events are facts: never updated; a correction is a new event
-- (EPCIS errorDeclaration), so the table refuses updates and deletes.
create table trace_events (
  id            uuid primary key default gen_random_uuid(),
  event_id      text not null check (length(event_id) between 1 and 300),
  type          text not null check (type in ('ObjectEvent', 'AggregationEvent', 'TransformationEvent')),
  action        text check (action in ('ADD', 'OBSERVE', 'DELETE')),
  -- What the form calls it (harvest, processing, packing, shipping, receiving, inspection) or 'other' for imports.
  kind          text not null check (kind in ('harvest', 'processing', 'packing', 'shipping', 'receiving', 'inspection', 'other')),
  event_time    timestamptz not null,
  event_tz      text not null check (event_tz ~ '^[+-][0-9]{2}:[0-9]{2}$'),
  record_time   timestamptz not null default now(),
  biz_step      text,
  disposition   text,
  read_point    text,
  biz_location  text,
  document      jsonb not null,
  source        text not null check (source in ('form', 'api', 'import')),
  recorded_by   uuid references users(id),
  constraint trace_events_action_ck check ((type = 'TransformationEvent') = (action is null))
);
create unique index trace_events_event_id_uq on trace_events(event_id);
create index trace_events_time_idx on trace_events(event_time, id);

-- Which lots an event is about, and in which role: the subject of an object event, the inputs and outputs of a
-- transformation, the children of an aggregation.
create table trace_event_lots (
  event_id  uuid not null references trace_events(id),
  lot_id    uuid not null references lots(id),
  role      text not null check (role in ('subject', 'input', 'output', 'child')),
  quantity  numeric(14, 3) check (quantity is null or quantity > 0),
  uom       text,
  primary key (event_id, lot_id, role)
);
create index trace_event_lots_lot_idx on trace_event_lots(lot_id, event_id);

create function trace_events_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'trace events are immutable (record a correcting event instead)' using errcode = 'check_violation';
end $$;
create trigger trace_events_no_update before update or delete on trace_events
  for each row execute function trace_events_immutable();
create trigger trace_event_lots_no_update before update or delete on trace_event_lots
  for each row execute function trace_events_immutable();

-- A numbered range of QR stamps for one lot: serials first_serial..last_serial (AI 21, plain decimal) and the same
-- count of platform-wide stamp numbers first_no.. (the short code of a stamp encodes its number). A stamp is stored
-- only as part of its range; single stamps reported lost or deactivated are exceptions below.
create table stamp_ranges (
  id            uuid primary key default gen_random_uuid(),
  lot_id        uuid not null references lots(id),
  first_serial  integer not null check (first_serial >= 1),
  last_serial   integer not null,
  first_no      bigint not null check (first_no >= 1),
  last_no       bigint generated always as (first_no + (last_serial - first_serial)) stored,
  status        text not null default 'active' check (status in ('active', 'inactive')),
  status_reason text,
  status_at     timestamptz,
  status_by     uuid references users(id),
  issued_by     uuid references users(id),
  issued_at     timestamptz not null default now(),
  constraint stamp_ranges_order_ck check (last_serial >= first_serial and last_serial - first_serial < 100000)
);
create unique index stamp_ranges_lot_first_uq on stamp_ranges(lot_id, first_serial);
create index stamp_ranges_lot_idx on stamp_ranges(lot_id, first_serial, last_serial);
create unique index stamp_ranges_first_no_uq on stamp_ranges(first_no);
create index stamp_ranges_no_idx on stamp_ranges(first_no, last_no);

create table stamp_exceptions (
  range_id  uuid not null references stamp_ranges(id),
  serial    integer not null,
  status    text not null check (status in ('inactive', 'lost')),
  reason    text,
  at        timestamptz not null default now(),
  by_user   uuid references users(id),
  primary key (range_id, serial)
);

-- Every resolution of a stamp URI or short code. No personal data: no IP address, no full user agent.
create table stamp_scans (
  id          bigint generated always as identity primary key,
  scanned_at  timestamptz not null default now(),
  outcome     text not null check (outcome in ('ok', 'inactive', 'lost', 'unknown_serial', 'unknown_lot', 'lot_only')),
  lot_id      uuid references lots(id),
  product_id  uuid references products(id),
  range_id    uuid references stamp_ranges(id),
  serial      integer,
  -- Coarse client class ('mobile', 'desktop', 'bot', 'other') and the page language.
  client      text not null check (client in ('mobile', 'desktop', 'bot', 'other')),
  lang        text not null check (lang in ('vi', 'en'))
);
create index stamp_scans_product_time_idx on stamp_scans(product_id, scanned_at);
create index stamp_scans_stamp_idx on stamp_scans(range_id, serial, scanned_at);
create index stamp_scans_time_idx on stamp_scans(scanned_at);

-- What officers should look at: a stamp scanned suspiciously often, a scan of a deactivated or lost stamp, a serial
-- that was never issued. One open flag per kind and stamp (ref), counting its scans.
create table stamp_flags (
  id          uuid primary key default gen_random_uuid(),
  kind        text not null check (kind in ('too_many_scans', 'inactive', 'lost', 'unknown_serial', 'unknown_lot')),
  -- The stamp as scanned: '<lot id>/<serial>' for known lots, the requested path otherwise.
  ref         text not null check (length(ref) between 1 and 300),
  lot_id      uuid references lots(id),
  product_id  uuid references products(id),
  range_id    uuid references stamp_ranges(id),
  serial      integer,
  scan_count  integer not null default 1,
  first_at    timestamptz not null default now(),
  last_at     timestamptz not null default now(),
  status      text not null default 'open' check (status in ('open', 'dismissed')),
  handled_by  uuid references users(id),
  handled_at  timestamptz,
  note        text
);
create unique index stamp_flags_open_uq on stamp_flags(kind, ref) where status = 'open';
create index stamp_flags_status_idx on stamp_flags(status, last_at desc);
create index stamp_flags_product_idx on stamp_flags(product_id, last_at desc);

-- "Report a problem" from the public scan page, kept for oversight (inspections and complaints).
create table scan_reports (
  id          uuid primary key default gen_random_uuid(),
  category    text not null check (category in ('counterfeit', 'quality', 'label', 'price', 'other')),
  message     text not null check (length(btrim(message)) between 1 and 2000),
  -- Voluntary: a consumer who wants an answer may leave a phone number or e-mail.
  contact     text check (contact is null or length(contact) <= 200),
  ref         text check (ref is null or length(ref) <= 300),
  lot_id      uuid references lots(id),
  product_id  uuid references products(id),
  range_id    uuid references stamp_ranges(id),
  serial      integer,
  lang        text not null default 'vi' check (lang in ('vi', 'en')),
  created_at  timestamptz not null default now(),
  status      text not null default 'new' check (status in ('new', 'reviewed', 'closed')),
  handled_by  uuid references users(id),
  handled_at  timestamptz,
  note        text
);
create index scan_reports_status_idx on scan_reports(status, created_at desc);
create index scan_reports_product_idx on scan_reports(product_id, created_at desc);
