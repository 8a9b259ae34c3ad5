-- The public scan page (stamp resolver) reads a product's current certificate on every scan that misses the
-- in-process cache: `where product_id = $1 order by (status = 'active') desc, decision_date desc, created_at desc
-- limit 1`. Only the partial unique index on active certificates existed, which that query cannot use, so every
-- such scan read the whole table (bench: 17,000 certificates, ~360 buffers). With this index it reads the product's
-- few certificates (~7 buffers).
create index if not exists certificates_product_decision_idx on certificates(product_id, decision_date desc, created_at desc);

-- What the public scan pages show changed: a small log each app process polls (every second) to drop its cached
-- scan pages (modules/stamps/scan-cache.ts), so every process converges within about a second whoever wrote — this
-- process, another app process, an import, a migration or a hand-made fix — without the cache needing a short TTL.
-- kind: 'lot' (the lot row, its growing-area links, its events, its stamp ranges and exceptions), 'product' (the
-- product, its photos, standards and certificates), 'producer', 'area' (a growing area's record). Rows older than an
-- hour are pruned by the pollers.
create table scan_changes (
  id   bigint generated always as identity primary key,
  at   timestamptz not null default clock_timestamp(),
  kind text not null check (kind in ('lot', 'product', 'producer', 'area')),
  ref  uuid not null
);
create index scan_changes_at_idx on scan_changes(at);

-- tg_argv[0] = kind, tg_argv[1] = the column holding the id (old and new values both logged when an update moves it).
create or replace function scan_change_log() returns trigger language plpgsql as $$
declare
  o jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  n jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
begin
  if n is not null and n ->> tg_argv[1] is not null then
    insert into scan_changes (kind, ref) values (tg_argv[0], (n ->> tg_argv[1])::uuid);
  end if;
  if o is not null and o ->> tg_argv[1] is not null and (n is null or (o ->> tg_argv[1]) is distinct from (n ->> tg_argv[1])) then
    insert into scan_changes (kind, ref) values (tg_argv[0], (o ->> tg_argv[1])::uuid);
  end if;
  return null;
end $$;

-- A stamp exception names its range: log the range's lot.
create or replace function scan_change_log_exception() returns trigger language plpgsql as $$
begin
  insert into scan_changes (kind, ref)
  select 'lot', r.lot_id from stamp_ranges r
  where r.id = case when tg_op = 'DELETE' then old.range_id else new.range_id end;
  return null;
end $$;

create trigger lots_scan_change after insert or update or delete on lots for each row execute function scan_change_log('lot', 'id');
create trigger lot_growing_areas_scan_change after insert or update or delete on lot_growing_areas for each row execute function scan_change_log('lot', 'lot_id');
create trigger trace_event_lots_scan_change after insert on trace_event_lots for each row execute function scan_change_log('lot', 'lot_id');
create trigger stamp_ranges_scan_change after insert or update or delete on stamp_ranges for each row execute function scan_change_log('lot', 'lot_id');
create trigger stamp_exceptions_scan_change after insert or update or delete on stamp_exceptions for each row execute function scan_change_log_exception();
create trigger products_scan_change after update or delete on products for each row execute function scan_change_log('product', 'id');
create trigger product_photos_scan_change after insert or update or delete on product_photos for each row execute function scan_change_log('product', 'product_id');
create trigger product_certifications_scan_change after insert or update or delete on product_certifications for each row execute function scan_change_log('product', 'product_id');
create trigger certificates_scan_change after insert or update on certificates for each row execute function scan_change_log('product', 'product_id');
create trigger producers_scan_change after update or delete on producers for each row execute function scan_change_log('producer', 'id');
create trigger growing_areas_scan_change after update or delete on growing_areas for each row execute function scan_change_log('area', 'id');
