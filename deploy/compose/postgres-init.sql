-- One database per service (DESIGN.md, "Data"): services share this server in development, never a schema.
-- The postgres image runs this file once, on first start with an empty data volume, as POSTGRES_USER.
-- Each service's Flyway migrations create its tables; this file only creates the empty databases.
CREATE DATABASE easel_nodes;
CREATE DATABASE easel_clusters;
CREATE DATABASE easel_packs;
CREATE DATABASE easel_compliance;
CREATE DATABASE easel_audit;
CREATE DATABASE easel_gateway;
