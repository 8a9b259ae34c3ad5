-- A submitted sheet's answers and total never change in the statement that reopens it either:
-- reopening only turns it back into a draft; the member then re-scores.
create or replace function score_sheets_guard() returns trigger language plpgsql as $$
begin
  if old.status = 'submitted'
     and (old.answers is distinct from new.answers or old.notes is distinct from new.notes or old.total is distinct from new.total) then
    raise exception 'score sheet is submitted and locked' using errcode = 'P0001';
  end if;
  return new;
end $$;
