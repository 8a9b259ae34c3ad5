-- Excel imports run in the background (issue #18): the upload answers 202 with the run's id at once, the work runs
-- in the server process, and the importer's screen polls the run. Progress while running is kept in memory by the
-- process doing the work (the import writes in one transaction, which other connections cannot see into); this row
-- holds who started what, and the outcome: the counts, or every row/column error of a refused workbook.
create table import_runs (
  id          uuid primary key default gen_random_uuid(),
  kind        text not null check (kind in ('registry', 'growing_areas', 'packing_houses')),
  actor_id    uuid not null references users(id),
  file_name   text,
  status      text not null default 'running' check (status in ('running', 'done', 'failed')),
  total       integer not null default 0,
  done        integer not null default 0,
  result      jsonb,
  errors      jsonb,
  error_count integer not null default 0,
  created_at  timestamptz not null default now(),
  finished_at timestamptz,
  check ((status = 'running') = (finished_at is null))
);
create index import_runs_actor_idx on import_runs(actor_id, created_at desc);
