-- The clusters cluster-former owns. What an operator asked for and what the cluster has become is
-- one JSON body; what is looked up by is in columns. Secrets (the Kairos cluster token, the
-- registry password, the profile variables) and the admin kubeconfig are sealed with AES-256-GCM,
-- bound to the cluster's id.
CREATE TABLE cluster (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('management', 'workload')),
    state       text        NOT NULL CHECK (state IN ('PROVISIONING', 'RUNNING', 'DEGRADED', 'FAILED', 'DELETING', 'DELETED')),
    body        jsonb       NOT NULL,
    secrets     bytea       NOT NULL,
    kubeconfig  bytea,
    saga_id     uuid,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    version     bigint      NOT NULL DEFAULT 0
);

-- A name is taken while its cluster exists; there is at most one management cluster.
CREATE UNIQUE INDEX cluster_name_live ON cluster (name) WHERE state <> 'DELETED';
CREATE UNIQUE INDEX cluster_one_management ON cluster (kind) WHERE kind = 'management' AND state <> 'DELETED';
CREATE INDEX cluster_list ON cluster (created_at, id);

-- Which cluster a node serves, for node-discovery's reachability events.
CREATE TABLE cluster_member (
    cluster_id uuid NOT NULL REFERENCES cluster (id),
    node_id    uuid NOT NULL,
    PRIMARY KEY (cluster_id, node_id)
);
CREATE INDEX cluster_member_node ON cluster_member (node_id);

-- What happened to a cluster, in order: the timeline and its event stream read this.
CREATE TABLE cluster_timeline (
    seq        bigserial   PRIMARY KEY,
    cluster_id uuid        NOT NULL REFERENCES cluster (id),
    at         timestamptz NOT NULL,
    operation  text        NOT NULL,
    step       text,
    nodes      jsonb       NOT NULL,
    state      text        NOT NULL,
    message    text,
    percent    int         NOT NULL
);
CREATE INDEX cluster_timeline_cluster ON cluster_timeline (cluster_id, seq);
