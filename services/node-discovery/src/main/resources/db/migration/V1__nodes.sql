-- Nodes as node-discovery keeps them. The lifecycle and reachability are separate columns, as in
-- the domain (dev.easel.nodes.domain.Node); labels are user labels, derived labels are computed.
CREATE TABLE nodes (
    id                 uuid        PRIMARY KEY,
    machine_id         text        NOT NULL UNIQUE,
    hostname           text,
    lifecycle          text        NOT NULL,
    reachable          boolean     NOT NULL,
    reservation_id     text,
    reservation_owner  text,
    cluster_id         text,
    platform           text        NOT NULL,
    labels             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    inventory          jsonb       NOT NULL,
    last_heartbeat_at  timestamptz,
    registered_at      timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    version            bigint      NOT NULL DEFAULT 0
);
CREATE INDEX nodes_lifecycle ON nodes (lifecycle, reachable);
