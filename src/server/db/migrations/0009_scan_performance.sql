-- The public scan page (stamp resolver) reads a product's current certificate on every scan that misses the
-- in-process cache: `where product_id = $1 order by (status = 'active') desc, decision_date desc, created_at desc
-- limit 1`. Only the partial unique index on active certificates existed, which that query cannot use, so every
-- such scan read the whole table (bench: 17,000 certificates, ~360 buffers). With this index it reads the product's
-- few certificates (~7 buffers).
create index if not exists certificates_product_decision_idx on certificates(product_id, decision_date desc, created_at desc);
