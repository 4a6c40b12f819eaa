-- The version of the app a store review is about ('' for none), so a bad
-- release shows in the reviews of that version. New post columns go last:
-- the appender fills posts in table order.

-- Rows written before read as ''. DuckDB adds a column with no constraint;
-- NOT NULL follows once the default has filled the rows already there.
ALTER TABLE posts ADD COLUMN app_version VARCHAR DEFAULT '';
ALTER TABLE posts ALTER COLUMN app_version SET NOT NULL;
