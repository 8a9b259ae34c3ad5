-- Safe by default (#13, accounts): forced password change, TOTP second factor, per-login throttling that holds across
-- processes, absolute session lifetime, rate-limit counters in the database, registrations that do not reveal logins.

-- Demo accounts on a real deployment (and accounts an administrator resets) must choose their own password first.
alter table users add column must_change_password boolean not null default false;
-- TOTP (RFC 6238): secret kept while enrolling (totp_enabled_at null) and after confirmation; the last accepted time
-- step refuses a replayed code.
alter table users add column totp_secret text;
alter table users add column totp_enabled_at timestamptz;
alter table users add column totp_last_step bigint;
alter table users add constraint users_totp_enabled_has_secret check (totp_enabled_at is null or totp_secret is not null);

-- Sessions end at the latest at absolute_expires_at, however active (sliding expiry stays in expires_at).
alter table sessions add column absolute_expires_at timestamptz;
update sessions set absolute_expires_at = created_at + interval '7 days' where absolute_expires_at is null;
alter table sessions alter column absolute_expires_at set not null;

-- Failed sign-ins per login name (lower-cased), whoever and wherever the client: unknown logins are counted too, so
-- a lockout reveals nothing about which logins exist.
create table login_throttle (
  login_key     text primary key,
  failures      integer not null default 0 check (failures >= 0),
  window_start  timestamptz not null default now(),
  locked_until  timestamptz
);

-- Counters of @fastify/rate-limit (lib/rate-limit-store.ts): shared by every app process on the same database.
create table rate_limits (
  key       text primary key,
  hits      integer not null check (hits > 0),
  reset_at  timestamptz not null
);
create index rate_limits_reset_idx on rate_limits(reset_at);

-- A registration whose login is already taken is still recorded (the answer must not say which logins exist);
-- the commune officer sees the note and cannot approve it under that login.
alter table registration_requests add column login_taken boolean not null default false;
drop index registration_requests_pending_login_uq;
create unique index registration_requests_pending_login_uq on registration_requests(lower(login)) where status = 'pending' and not login_taken;
