-- Identifiers that mean one thing, and who owns places (#14 items 2 and 6).
--  · the GTIN belongs to the trade item (products.gtin, unique platform-wide); lots keep their copy for history, taken
--    from the product;
--  · GS1 company prefixes a producer declares (with its GS1 Vietnam membership certificate) and an officer verifies;
--  · serials unique per GTIN across lots (one counter per GTIN), so GTIN + serial (SGTIN) names one stamp;
--  · places get a GLN (optional) and a verification status; producers cite others' places only through a verified link;
--  · parties (buyers, processors, packers …) a producer trades with, for EPCIS source/destination.

-- 1. The GTIN of the trade item.
alter table products add column gtin text check (gtin ~ '^[0-9]{14}$');
create unique index products_gtin_uq on products(gtin) where gtin is not null;

-- Existing lots carried the GTIN: copy it to the product when it is unambiguous (one GTIN on all of the product's
-- lots, and that GTIN on no other product's lots). Conflicts are reported and left for officers to settle.
do $$
declare r record;
begin
  for r in select gtin, count(distinct product_id) as n from lots where gtin is not null group by gtin having count(distinct product_id) > 1 loop
    raise notice 'GTIN % is on lots of % different products: not copied to any product', r.gtin, r.n;
  end loop;
  for r in select product_id, count(distinct gtin) as n from lots where gtin is not null group by product_id having count(distinct gtin) > 1 loop
    raise notice 'product % has lots with % different GTINs: its GTIN is left empty', r.product_id, r.n;
  end loop;
end $$;
update products p set gtin = x.gtin
from (
  select product_id, min(gtin) as gtin from lots where gtin is not null group by product_id having count(distinct gtin) = 1
) x
where p.id = x.product_id
  and not exists (select 1 from lots o where o.gtin = x.gtin and o.product_id <> x.product_id);

-- 2. GS1 company prefixes (6–12 digits; Vietnam's GS1 prefix is 893). Evidence = the membership certificate in the
-- producer's locker. One live claim per prefix platform-wide (a rejected claim does not block another).
create table producer_gs1_prefixes (
  id           uuid primary key default gen_random_uuid(),
  producer_id  uuid not null references producers(id),
  prefix       text not null check (prefix ~ '^[0-9]{6,12}$'),
  status       text not null default 'declared' check (status in ('declared', 'verified', 'rejected')),
  evidence_id  uuid references evidence(id),
  verified_by  uuid references users(id),
  verified_at  timestamptz,
  note         text check (note is null or length(note) <= 1000),
  version      integer not null default 1,
  created_by   uuid references users(id),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  constraint producer_gs1_prefixes_decided_ck check ((status = 'declared') = (verified_at is null)),
  constraint producer_gs1_prefixes_reject_note_ck check (status <> 'rejected' or length(btrim(coalesce(note, ''))) > 0)
);
create unique index producer_gs1_prefixes_live_uq on producer_gs1_prefixes(prefix) where status <> 'rejected';
create index producer_gs1_prefixes_producer_idx on producer_gs1_prefixes(producer_id);

-- 3. Serials per GTIN: the next serial of each GTIN, taken with UPDATE … RETURNING in the issuing transaction.
-- Existing ranges stay as they are; new ones continue after the highest serial any lot of that GTIN has.
create table gtin_serial_counters (
  gtin         text primary key check (gtin ~ '^[0-9]{14}$'),
  next_serial  integer not null check (next_serial >= 1)
);
insert into gtin_serial_counters (gtin, next_serial)
select l.gtin, max(r.last_serial) + 1 from stamp_ranges r join lots l on l.id = r.lot_id where l.gtin is not null group by l.gtin;

-- 4./5. Places: a GLN when the place has one, and whether an officer verified the code and its issuer.
alter table growing_areas
  add column gln text check (gln ~ '^[0-9]{13}$'),
  add column verification_status text not null default 'declared' check (verification_status in ('declared', 'verified', 'rejected')),
  add column verified_by uuid references users(id),
  add column verified_at timestamptz,
  add column verification_note text check (verification_note is null or length(verification_note) <= 1000);
alter table packing_houses
  add column gln text check (gln ~ '^[0-9]{13}$'),
  add column verification_status text not null default 'declared' check (verification_status in ('declared', 'verified', 'rejected')),
  add column verified_by uuid references users(id),
  add column verified_at timestamptz,
  add column verification_note text check (verification_note is null or length(verification_note) <= 1000);
create unique index growing_areas_gln_uq on growing_areas(gln) where gln is not null;
create unique index packing_houses_gln_uq on packing_houses(gln) where gln is not null;

-- Places that exist already: verified unless a producer user created them (the audit trail says who did).
update growing_areas g set verification_status = 'verified', verified_at = g.created_at
where not exists (
  select 1 from audit_log a join users u on u.id = a.actor_id
  where a.entity_type = 'growing_area' and a.entity_id = g.id::text and a.action = 'create' and u.role = 'producer');
update packing_houses h set verification_status = 'verified', verified_at = h.created_at
where not exists (
  select 1 from audit_log a join users u on u.id = a.actor_id
  where a.entity_type = 'packing_house' and a.entity_id = h.id::text and a.action = 'create' and u.role = 'producer');

-- A producer's right to cite a place it does not own (a contract with the owner), verified by an officer.
create table place_links (
  id                uuid primary key default gen_random_uuid(),
  producer_id       uuid not null references producers(id),
  growing_area_id   uuid references growing_areas(id) on delete cascade,
  packing_house_id  uuid references packing_houses(id) on delete cascade,
  evidence_id       uuid references evidence(id),
  status            text not null default 'declared' check (status in ('declared', 'verified', 'rejected')),
  verified_by       uuid references users(id),
  verified_at       timestamptz,
  note              text check (note is null or length(note) <= 1000),
  version           integer not null default 1,
  created_by        uuid references users(id),
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  constraint place_links_one_place_ck check ((growing_area_id is null) <> (packing_house_id is null)),
  constraint place_links_decided_ck check ((status = 'declared') = (verified_at is null))
);
create unique index place_links_area_uq on place_links(producer_id, growing_area_id) where growing_area_id is not null;
create unique index place_links_house_uq on place_links(producer_id, packing_house_id) where packing_house_id is not null;

do $$
declare n integer;
begin
  select count(*) into n from lots l
  where exists (select 1 from lot_growing_areas lga join growing_areas g on g.id = lga.growing_area_id
                where lga.lot_id = l.id and g.owner_producer_id is distinct from l.producer_id)
     or exists (select 1 from packing_houses h where h.id = l.packing_house_id and h.owner_producer_id is distinct from l.producer_id);
  if n > 0 then
    raise notice '% lots cite places their producer does not own: link the places (place_links) or correct the lots', n;
  end if;
end $$;

-- Parties: the buyers, processors, packers … a producer deals with (EPCIS source/destination by id).
create table parties (
  id           uuid primary key default gen_random_uuid(),
  producer_id  uuid not null references producers(id),
  name         text not null check (length(btrim(name)) between 1 and 300),
  kind         text not null check (kind in ('buyer', 'processor', 'packer', 'transporter', 'retailer', 'other')),
  gln          text check (gln ~ '^[0-9]{13}$'),
  unit_id      integer references admin_units(id),
  address      text check (address is null or length(address) <= 500),
  version      integer not null default 1,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
create index parties_producer_idx on parties(producer_id, name);
create unique index parties_producer_gln_uq on parties(producer_id, gln) where gln is not null;
