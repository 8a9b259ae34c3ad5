-- Issue #14 (EPCIS 2.0 in full): all five event types, CBV 2.0 hash IDs and error declarations.

-- TransactionEvent and AssociationEvent are imported too (both carry an action, like Object/Aggregation events).
alter table trace_events drop constraint trace_events_type_check;
alter table trace_events add constraint trace_events_type_check
  check (type in ('ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'));

-- The CBV 2.0 event hash ID (ni:///sha-256;…?ver=CBV2.0) of every event stored from now on, whatever its eventID:
-- an event imported once with an eventID and again without one (or under another ID) is found by its content.
alter table trace_events add column hash_id text;
create index trace_events_hash_idx on trace_events(hash_id) where hash_id is not null;

-- EPCIS error declarations: an event is never changed (trace_events is append-only); a declaration that it was
-- wrong is kept beside it, with the reason (CBV error reason, e.g. incorrect_data, did_not_occur) and the
-- eventIDs of the events that correct it. The journey shows the original as corrected and links the corrections.
create table trace_event_corrections (
  id                    uuid primary key default gen_random_uuid(),
  event_id              uuid not null references trace_events(id),
  declaration_time      timestamptz not null,
  reason                text,
  corrective_event_ids  jsonb not null default '[]'::jsonb,
  -- The event as received with its errorDeclaration (what an export gives back).
  declaration           jsonb not null,
  source                text not null check (source in ('form', 'api', 'import')),
  recorded_by           uuid references users(id),
  record_time           timestamptz not null default now()
);
create unique index trace_event_corrections_uq on trace_event_corrections(event_id, declaration_time);
create trigger trace_event_corrections_no_update before update or delete on trace_event_corrections
  for each row execute function trace_events_immutable();
