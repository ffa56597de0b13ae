-- Lets PostgreSQL serve FerretDB's pushed-down equality filters from an index, as MongoDB does.
--
-- FerretDB v1.24 filters `{field: value}` as `_jsonb -> $1 @> $2` (containment, so that an array
-- field holding the value matches too, as in MongoDB), but its indexes are btree on
-- `(_jsonb -> 'field')`, which cannot serve `@>`: every findById and equality filter was a
-- sequential scan of the table (17.8 ms at 10,000 documents, 0.17 ms with the GIN index below).
-- So every btree index FerretDB creates on a top-level field gets a GIN (jsonb_path_ops) index on
-- the same expression, from an event trigger; and statements are planned with their parameter
-- values, since a generic plan of `_jsonb -> $1` matches no index expression.
-- Applied by scripts/stack/postgres.mjs on every start (idempotent); needs a superuser.

create or replace function ticketing_gin_for(ix oid) returns void language plpgsql as $fn$
declare
  def text := pg_get_indexdef(ix);
  tbl regclass := (select indrelid from pg_index where indexrelid = ix);
  base text := left((select relname from pg_class where oid = ix), 50);
  field text;
  n int := 0;
begin
  if def !~ ' USING btree \(' then
    return;
  end if;
  for field in select replace(m[1], '''''', '''') from regexp_matches(def, '_jsonb -> ''((?:[^'']|'''')*)''::text', 'g') as m loop
    n := n + 1;
    execute format('create index if not exists %I on %s using gin ((_jsonb -> %L) jsonb_path_ops)',
      base || '_gin' || n, tbl, field);
  end loop;
end
$fn$;

create or replace function ticketing_gin_on_create_index() returns event_trigger language plpgsql as $fn$
declare
  r record;
begin
  for r in select objid from pg_event_trigger_ddl_commands() where command_tag = 'CREATE INDEX' loop
    perform ticketing_gin_for(r.objid);
  end loop;
end
$fn$;

drop event trigger if exists ticketing_gin_on_create_index;
create event trigger ticketing_gin_on_create_index on ddl_command_end when tag in ('CREATE INDEX')
  execute function ticketing_gin_on_create_index();

-- Indexes made before the trigger existed (a database from an earlier version of the runner).
do $do$
declare
  r record;
begin
  for r in select i.indexrelid from pg_index i join pg_class c on c.oid = i.indexrelid
           join pg_am a on a.oid = c.relam
           where a.amname = 'btree' and pg_get_indexdef(i.indexrelid) like '%(_jsonb -> %' loop
    perform ticketing_gin_for(r.indexrelid);
  end loop;
end
$do$;
