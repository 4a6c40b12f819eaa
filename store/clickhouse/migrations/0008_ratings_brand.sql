-- A review's stars and whether the brand's own account wrote the post:
-- rating is 1 to 5, 0 when the source has none; from_brand is 1 for a post
-- by one of the brand's own accounts, else 0 (UInt8 on every server: 18.16
-- has no Bool). Rows written before read as 0. One column per statement,
-- as in 0005; in cluster mode the Distributed table is made again with them.
ALTER TABLE {{local "posts"}}{{onCluster}} {{addColumn}} rating UInt8;
ALTER TABLE {{local "posts"}}{{onCluster}} {{addColumn}} from_brand UInt8;
{{redistribute "posts" "cityHash64(id)"}};
