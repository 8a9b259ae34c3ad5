-- Producer self-service, evidence locker, dossiers with their workflow, certificates, reminders, notifications.

-- A producer asks for an account; a commune officer of the unit verifies and approves (creating or linking the
-- producer and its user in one transaction) or rejects with a reason.
create table registration_requests (
  id                  uuid primary key default gen_random_uuid(),
  legal_name          text not null check (length(btrim(legal_name)) > 0),
  kind                text not null check (kind in ('enterprise', 'cooperative', 'cooperative_group', 'household')),
  registration_number text not null check (length(btrim(registration_number)) > 0),
  unit_id             integer not null references admin_units(id),
  address             text,
  representative      text not null,
  phone               text not null,
  email               text,
  login               text not null,
  password_hash       text not null,
  note                text,
  status              text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  decided_by          uuid references users(id),
  decided_at          timestamptz,
  decision_note       text,
  producer_id         uuid references producers(id),
  user_id             uuid references users(id),
  created_at          timestamptz not null default now(),
  check ((status = 'pending') = (decided_at is null)),
  check (status <> 'rejected' or length(btrim(coalesce(decision_note, ''))) > 0)
);
-- One pending request per login (the users table guards logins of existing accounts).
create unique index registration_requests_pending_login_uq on registration_requests(lower(login)) where status = 'pending';
create index registration_requests_unit_idx on registration_requests(unit_id, status);

-- Evidence kept per producer, reused by many dossiers (linked, never copied).
create table evidence (
  id            uuid primary key default gen_random_uuid(),
  producer_id   uuid not null references producers(id),
  type          text not null check (type in ('business_registration', 'quality_declaration', 'food_safety_test',
                  'certification', 'trademark', 'environment_plan', 'product_story', 'photo', 'three_year_report',
                  'other')),
  certification_type text check (certification_type in ('vietgap', 'globalgap', 'organic', 'haccp', 'iso22000', 'gmp', 'other')),
  title         text not null check (length(btrim(title)) > 0),
  issuer        text,
  number        text,
  issued_on     date,
  expires_on    date,
  storage_key   text not null,
  content_type  text not null check (content_type in ('application/pdf', 'image/jpeg', 'image/png',
                  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                  'application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
  bytes         integer not null check (bytes > 0),
  file_name     text not null,
  sha256        text not null,
  uploaded_by   uuid references users(id),
  version       integer not null default 1,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  check (expires_on is null or issued_on is null or expires_on >= issued_on),
  check ((type = 'certification') = (certification_type is not null))
);
create index evidence_producer_idx on evidence(producer_id, type);

create table dossiers (
  id                 uuid primary key default gen_random_uuid(),
  product_id         uuid not null references products(id),
  producer_id        uuid not null references producers(id),
  kind               text not null check (kind in ('first', 'reevaluation', 'upgrade')),
  procedure_code     text not null references procedure_versions(code),
  -- The unit that receives the dossier (commune under 148+1489, district under 148 original).
  intake_unit_id     integer not null references admin_units(id),
  status             text not null default 'draft' check (status in ('draft', 'submitted', 'returned', 'accepted',
                       'assigned', 'evaluated', 'recognised', 'forwarded', 'not_recognised', 'withdrawn')),
  target_star        smallint check (target_star between 1 and 5),
  form               jsonb not null default '{}'::jsonb,
  sample             jsonb,
  pre_assessment     jsonb,
  previous_dossier_id uuid references dossiers(id),
  base_certificate_id uuid,
  round_id           uuid references rounds(id),
  result             jsonb,
  submitted_at       timestamptz,
  version            integer not null default 1,
  created_by         uuid references users(id),
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  check (kind = 'first' or base_certificate_id is not null),
  check (status not in ('assigned', 'evaluated', 'recognised', 'forwarded', 'not_recognised') or round_id is not null)
);
-- At most one dossier in progress per product.
create unique index dossiers_open_per_product_uq on dossiers(product_id)
  where status in ('draft', 'submitted', 'returned', 'accepted', 'assigned', 'evaluated');
create index dossiers_status_idx on dossiers(status, intake_unit_id);
create index dossiers_producer_idx on dossiers(producer_id);
create index dossiers_round_idx on dossiers(round_id);

create table dossier_evidence (
  dossier_id  uuid not null references dossiers(id) on delete cascade,
  evidence_id uuid not null references evidence(id),
  requirement text not null,
  attached_at timestamptz not null default now(),
  primary key (dossier_id, evidence_id)
);
create index dossier_evidence_evidence_idx on dossier_evidence(evidence_id);

-- Every transition: who, when, from → to, a comment and (for returns) the list of what is asked.
create table dossier_events (
  id          bigserial primary key,
  dossier_id  uuid not null references dossiers(id) on delete cascade,
  from_status text,
  to_status   text not null,
  actor_id    uuid references users(id),
  actor_label text not null,
  comment     text,
  reasons     jsonb,
  at          timestamptz not null default now()
);
create index dossier_events_dossier_idx on dossier_events(dossier_id, id);

create sequence certificate_number_seq;

create table certificates (
  id                  uuid primary key default gen_random_uuid(),
  number              text not null unique check (number ~ '^[A-Za-z0-9./-]{3,60}$'),
  product_id          uuid not null references products(id),
  producer_id         uuid not null references producers(id),
  -- Null for a certificate recorded from paper (issued before the system).
  round_id            uuid references rounds(id),
  dossier_id          uuid references dossiers(id),
  star                smallint not null check (star between 1 and 5),
  score               numeric(6, 2),
  decision_number     text not null check (length(btrim(decision_number)) > 0),
  decision_date       date not null,
  issuing_authority   text not null,
  -- The unit as it was on the decision date: its name is copied, units may be renamed or merged later.
  issuing_unit_id     integer references admin_units(id),
  issuing_unit_name   text not null,
  criteria_set_code   text,
  procedure_code      text,
  expires_on          date not null,
  status              text not null default 'active' check (status in ('active', 'superseded', 'revoked')),
  revoked_reason      text check (revoked_reason in ('not_reevaluated', 'failed_mandatory', 'inspection_violation', 'producer_request', 'other')),
  revoked_note        text,
  revoked_at          timestamptz,
  superseded_by       uuid references certificates(id),
  is_legacy           boolean not null default false,
  issued_by           uuid references users(id),
  created_at          timestamptz not null default now(),
  check (expires_on > decision_date),
  check ((status = 'revoked') = (revoked_reason is not null and revoked_at is not null)),
  check (revoked_reason is distinct from 'other' or length(btrim(coalesce(revoked_note, ''))) > 0),
  check ((status = 'superseded') = (superseded_by is not null))
);
-- One active certificate per product.
create unique index certificates_active_per_product_uq on certificates(product_id) where status = 'active';
create index certificates_expiry_idx on certificates(expires_on) where status = 'active';
create index certificates_producer_idx on certificates(producer_id);
alter table dossiers add constraint dossiers_base_certificate_fk foreign key (base_certificate_id) references certificates(id);

-- An issued certificate is immutable: only its status may move (active → superseded | revoked), once.
create or replace function certificates_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'certificate % is issued and cannot be deleted', old.number using errcode = 'P0001';
  end if;
  if (new.number, new.product_id, new.producer_id, new.round_id, new.dossier_id, new.star, new.score, new.decision_number,
      new.decision_date, new.issuing_authority, new.issuing_unit_id, new.issuing_unit_name, new.criteria_set_code,
      new.procedure_code, new.expires_on, new.is_legacy, new.issued_by, new.created_at)
     is distinct from
     (old.number, old.product_id, old.producer_id, old.round_id, old.dossier_id, old.star, old.score, old.decision_number,
      old.decision_date, old.issuing_authority, old.issuing_unit_id, old.issuing_unit_name, old.criteria_set_code,
      old.procedure_code, old.expires_on, old.is_legacy, old.issued_by, old.created_at) then
    raise exception 'certificate % is issued and immutable', old.number using errcode = 'P0001';
  end if;
  if old.status <> 'active' and new.status is distinct from old.status then
    raise exception 'certificate % is issued and immutable: status % is final', old.number, old.status using errcode = 'P0001';
  end if;
  return new;
end $$;
create trigger certificates_guard_trg before update or delete on certificates for each row execute function certificates_guard();

-- A reminder is sent once per certificate and threshold, whatever restarts or parallel workers do.
create table certificate_reminders (
  certificate_id uuid not null references certificates(id),
  threshold_days integer not null check (threshold_days > 0),
  sent_at        timestamptz not null default now(),
  skipped        boolean not null default false,
  primary key (certificate_id, threshold_days)
);

create table notifications (
  id         uuid primary key default gen_random_uuid(),
  user_id    uuid not null references users(id),
  kind       text not null,
  title      text not null,
  body       text not null default '',
  link       text,
  entity_type text,
  entity_id  text,
  created_at timestamptz not null default now(),
  read_at    timestamptz,
  emailed_at timestamptz
);
create index notifications_user_idx on notifications(user_id, created_at desc);
create index notifications_unread_idx on notifications(user_id) where read_at is null;
