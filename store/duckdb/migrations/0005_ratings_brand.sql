-- A review's stars and whether the brand's own account wrote the post.
-- New post columns go last: the appender fills posts in table order.

-- rating is 1 to 5, 0 when the source has none. Rows written before read
-- as 0. DuckDB adds a column with no constraint; NOT NULL follows once the
-- default has filled the rows already there.
ALTER TABLE posts ADD COLUMN rating UTINYINT DEFAULT 0;
ALTER TABLE posts ALTER COLUMN rating SET NOT NULL;

-- from_brand marks a post by one of the brand's own accounts; rows written
-- before read as false. It stays without NOT NULL: DuckDB (1.5) refuses SET
-- NOT NULL on a new BOOLEAN column of posts within the migration's
-- transaction ("Cannot create index with outstanding updates"). The store
-- always writes it, and reads it with coalesce(from_brand, false).
ALTER TABLE posts ADD COLUMN from_brand BOOLEAN DEFAULT false;
