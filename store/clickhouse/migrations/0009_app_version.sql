-- The version of the app a store review is about, '' for none, so a bad
-- release shows in the reviews of that version. Rows written before read
-- as ''. Few distinct values, like lang: LowCardinality where the server
-- has it. In cluster mode the Distributed table is made again with it.
ALTER TABLE {{local "posts"}}{{onCluster}} {{addColumn}} app_version {{lc}};
{{redistribute "posts" "cityHash64(id)"}};
