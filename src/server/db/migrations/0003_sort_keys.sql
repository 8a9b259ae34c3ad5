-- Stored sort keys: lists sort by the accent-insensitive name without recomputing f_norm() per row,
-- and a (key, id) index serves "first page in name order" directly.
alter table products add column name_norm text generated always as (f_norm(name)) stored;
drop index if exists products_name_sort_idx;
create index products_name_norm_idx on products(name_norm, id);
create index products_stars_name_idx on products(stars, name_norm, id);
create index products_year_name_idx on products(recognition_year, name_norm, id);

alter table producers add column legal_name_norm text generated always as (f_norm(legal_name)) stored;
drop index if exists producers_name_sort_idx;
create index producers_name_norm_idx on producers(legal_name_norm, id);
create index products_producer_idx on products(producer_id);
