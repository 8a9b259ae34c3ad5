-- Programme (#11): a change log of the tables the programme panel reads, so a computed panel can be kept and reused
-- until any of them changes — by this process, another app process, an import or a hand-made fix. One row per
-- statement (statement-level triggers: a bulk insert of 1,000 rows is one row here). The panel cache compares
-- count(*) and max(id) before and after computing (programme/panel-cache.ts); rows may be pruned (a prune only makes
-- every cached panel compute again).
create table programme_changes (
  id  bigserial primary key,
  tbl text not null,
  at  timestamptz not null default clock_timestamp()
);

create or replace function programme_change_log() returns trigger language plpgsql as $$
begin
  insert into programme_changes (tbl) values (tg_table_name);
  return null;
end $$;

create trigger products_programme_change after insert or update or delete on products for each statement execute function programme_change_log();
create trigger producers_programme_change after insert or update or delete on producers for each statement execute function programme_change_log();
create trigger certificates_programme_change after insert or update or delete on certificates for each statement execute function programme_change_log();
create trigger dossiers_programme_change after insert or update or delete on dossiers for each statement execute function programme_change_log();
create trigger product_certifications_programme_change after insert or update or delete on product_certifications for each statement execute function programme_change_log();
create trigger product_channels_programme_change after insert or update or delete on product_channels for each statement execute function programme_change_log();
create trigger support_activities_programme_change after insert or update or delete on support_activities for each statement execute function programme_change_log();
create trigger budget_entries_programme_change after insert or update or delete on budget_entries for each statement execute function programme_change_log();
create trigger programme_events_programme_change after insert or update or delete on programme_events for each statement execute function programme_change_log();
create trigger programme_event_participants_programme_change after insert or update or delete on programme_event_participants for each statement execute function programme_change_log();
create trigger programme_plans_programme_change after insert or update or delete on programme_plans for each statement execute function programme_change_log();
create trigger programme_targets_programme_change after insert or update or delete on programme_targets for each statement execute function programme_change_log();
create trigger craft_villages_programme_change after insert or update or delete on craft_villages for each statement execute function programme_change_log();
create trigger admin_units_programme_change after insert or update or delete on admin_units for each statement execute function programme_change_log();
create trigger admin_unit_successions_programme_change after insert or update or delete on admin_unit_successions for each statement execute function programme_change_log();
