-- cluster-former's copies of what other services own, kept from their events: the nodes
-- (node-discovery) and the published profile versions (pack-manager). Only their events write
-- these tables.
CREATE TABLE known_node (
    id             uuid PRIMARY KEY,
    hostname       text,
    lifecycle      text        NOT NULL CHECK (lifecycle IN ('FREE', 'RESERVED', 'IN_CLUSTER', 'DECOMMISSIONED')),
    reservation    text,
    reachable      boolean     NOT NULL,
    user_labels    jsonb       NOT NULL,
    derived_labels jsonb       NOT NULL,
    facts          jsonb,
    updated_at     timestamptz NOT NULL
);

-- Picking nodes for a pool reads the free ones in host name order.
CREATE INDEX known_node_free ON known_node (hostname, id) WHERE lifecycle = 'FREE' AND reachable;

CREATE TABLE published_profile (
    name         text        NOT NULL,
    version      text        NOT NULL,
    type         text,
    cloud_type   text,
    layers       jsonb       NOT NULL,
    variables    jsonb       NOT NULL,
    published_at timestamptz NOT NULL,
    PRIMARY KEY (name, version)
);
