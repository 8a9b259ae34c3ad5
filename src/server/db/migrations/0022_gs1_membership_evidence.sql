-- #14: a GS1 company prefix is verified from the producer's GS1 Vietnam membership certificate, kept in the evidence
-- locker under a type of its own (it used to be filed as "other").
alter table evidence drop constraint if exists evidence_type_check;
alter table evidence add constraint evidence_type_check check (type in ('business_registration', 'quality_declaration',
  'food_safety_test', 'certification', 'trademark', 'environment_plan', 'product_story', 'photo', 'three_year_report',
  'gs1_membership', 'other'));
