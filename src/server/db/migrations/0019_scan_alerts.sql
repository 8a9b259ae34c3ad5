-- Scan pages (#14): officers are told of a flag once (when its scan count reaches SCAN_ALERT_MIN_SCANS) — notified_at
-- records that it was done, so each open flag is announced at most once, by whichever app process writes it first.
alter table stamp_flags add column notified_at timestamptz;
create index stamp_flags_to_notify_idx on stamp_flags(scan_count) where status = 'open' and notified_at is null;
