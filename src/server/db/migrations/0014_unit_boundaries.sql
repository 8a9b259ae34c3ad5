-- Maps and national units (#11 item 4).
--
-- 1. Two unit types the 2025 reform uses: a centrally-run city (thành phố trực thuộc trung ương, level 1, e.g.
--    Hà Nội) and a special zone (đặc khu, commune level, e.g. đặc khu Phú Quốc). The type checks of 0001 were
--    unnamed, so they are found by their definition and replaced by named ones.
do $types$
declare c record;
begin
  for c in select conname from pg_constraint
           where conrelid = 'admin_units'::regclass and contype = 'c' and pg_get_constraintdef(oid) ~ '\mtype\M'
  loop
    execute format('alter table admin_units drop constraint %I', c.conname);
  end loop;
end $types$;
alter table admin_units
  add constraint admin_units_type_ck check (type in ('province', 'city', 'district', 'town', 'commune', 'ward', 'township', 'special_zone')),
  add constraint admin_units_type_level1_ck check ((type in ('province', 'city')) = (level = 1)),
  add constraint admin_units_type_level2_ck check ((type in ('district', 'town')) = (level = 2));

-- 2. One boundary per unit: a GeoJSON Polygon or MultiPolygon (WGS 84 lng/lat, exterior rings counter-clockwise as
--    RFC 7946 says), already simplified for drawing. Shipped files load with source 'seed:<file>'; a province's own
--    import replaces them with source 'import' (and a later seed never overwrites an import).
create table unit_boundaries (
  unit_id      integer primary key references admin_units(id) on delete cascade,
  geometry     jsonb not null check (geometry->>'type' in ('Polygon', 'MultiPolygon') and jsonb_typeof(geometry->'coordinates') = 'array'),
  min_lng      double precision not null,
  min_lat      double precision not null,
  max_lng      double precision not null,
  max_lat      double precision not null,
  point_count  integer not null check (point_count >= 4),
  area_km2     numeric(12, 2),
  source       text not null check (source = 'import' or source like 'seed:%'),
  imported_by  uuid references users(id),
  updated_at   timestamptz not null default now(),
  check (min_lng <= max_lng and min_lat <= max_lat)
);

-- 3. Reference files loaded at start: skipped while the file's checksum is the one recorded (a national file of
--    3,355 units costs one query per start instead of a comparison of every row).
create table reference_loads (
  name       text primary key,
  checksum   text not null,
  row_count  integer not null default 0,
  loaded_at  timestamptz not null default now()
);
