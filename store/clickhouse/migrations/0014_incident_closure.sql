-- An incident closed for comms: earshot.Closure as JSON (who, when, and an
-- admin's override reason); "" while it is not closed, as rows written
-- before read. Incidents are not sharded: one table.
ALTER TABLE {{local "incidents"}}{{onCluster}} {{addColumn}} closure String;
