-- compliance's copies of what other services own, kept from their events: the running clusters
-- with their nodes (cluster-former) and each published profile version's Kubernetes version
-- (pack-manager). Only their events write these tables.
CREATE TABLE clusters (
    id              uuid PRIMARY KEY,
    name            text        NOT NULL,
    profile_name    text,
    profile_version text,
    updated_at      timestamptz NOT NULL
);

-- position keeps the order the cluster's event gave (init node first); nodes added later go last.
CREATE TABLE cluster_nodes (
    cluster_id uuid NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    node_id    uuid NOT NULL,
    hostname   text,
    role       text NOT NULL,
    position   int  NOT NULL,
    PRIMARY KEY (cluster_id, node_id)
);

CREATE TABLE profile_versions (
    name               text NOT NULL,
    version            text NOT NULL,
    kubernetes_version text,
    PRIMARY KEY (name, version)
);

-- The versions of the packs that provide features, per registry.
CREATE TABLE packs (
    registry_id uuid        NOT NULL,
    registry    text,
    name        text        NOT NULL,
    version     text        NOT NULL,
    digest      text,
    "values"    text,
    at          timestamptz NOT NULL,
    PRIMARY KEY (registry_id, name, version)
);
CREATE INDEX packs_name ON packs (name);

-- Which features each cluster enabled, and how their installs went.
CREATE TABLE feature_enablements (
    cluster_id uuid        NOT NULL,
    feature    text        NOT NULL,
    state      text        NOT NULL CHECK (state IN ('installing', 'enabled', 'failed')),
    pack       text,
    version    text,
    digest     text,
    plan_id    text,
    reason     text,
    actor      text,
    at         timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, feature)
);
CREATE INDEX feature_enablements_plan ON feature_enablements (plan_id);

-- Scans outlive their cluster: no foreign key to clusters, so a deleted cluster keeps its history.
CREATE TABLE scans (
    id          uuid PRIMARY KEY,
    cluster_id  uuid        NOT NULL,
    kind        text        NOT NULL,
    trigger     text        NOT NULL,
    options     jsonb       NOT NULL,
    state       text        NOT NULL CHECK (state IN ('Initiated', 'InProgress', 'Completed', 'Failed', 'Cancelled')),
    phase       text,
    completed   bigint      NOT NULL,
    total       bigint      NOT NULL,
    failed      bigint      NOT NULL,
    reason      text,
    summary     jsonb       NOT NULL,
    actor       text,
    created_at  timestamptz NOT NULL,
    finished_at timestamptz
);
CREATE INDEX scans_cluster_kind ON scans (cluster_id, kind, created_at DESC);
CREATE INDEX scans_cluster ON scans (cluster_id, created_at DESC);
-- The sweeps look for the few unfinished scans among many finished ones.
CREATE INDEX scans_unfinished ON scans (state, created_at) WHERE state IN ('Initiated', 'InProgress');

-- One plan of a scan, on one node.
CREATE TABLE scan_parts (
    plan_id  text PRIMARY KEY,
    scan_id  uuid NOT NULL REFERENCES scans (id),
    node_id  uuid NOT NULL,
    hostname text,
    role     text,
    state    text NOT NULL CHECK (state IN ('queued', 'done', 'failed', 'cancelled')),
    reason   text
);
CREATE INDEX scan_parts_scan ON scan_parts (scan_id);

-- A file a plan leaves: its row is written, without a digest, when the plan is sent; the digest and
-- location arrive with node-discovery's event; read is set once its findings are in.
CREATE TABLE scan_artifacts (
    scan_id    uuid    NOT NULL REFERENCES scans (id),
    plan_id    text    NOT NULL,
    name       text    NOT NULL,
    step_id    text    NOT NULL,
    reader     text    NOT NULL,
    scope      text,
    node_id    uuid    NOT NULL,
    hostname   text,
    role       text,
    digest     text,
    size       bigint,
    media_type text,
    location   text,
    stored_at  timestamptz,
    read       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (scan_id, plan_id, name)
);
CREATE INDEX scan_artifacts_plan ON scan_artifacts (plan_id, step_id, name);
CREATE INDEX scan_artifacts_waiting ON scan_artifacts (stored_at) WHERE digest IS NOT NULL AND NOT read;

-- The findings of every scan, tens of thousands per SBOM scan: written with COPY, read a page at a
-- time by seq. artifact is the file they came from, so a file read again replaces its own rows.
-- No foreign key: a report's rows are many and only ever written for a scan that exists.
CREATE TABLE findings (
    scan_id     uuid   NOT NULL,
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    artifact    text   NOT NULL,
    node        text,
    role        text,
    scope       text,
    rule_id     text,
    title       text,
    status      text   NOT NULL,
    severity    text   NOT NULL,
    detail      text,
    remediation text,
    reference   text,
    pkg_name    text,
    pkg_version text,
    pkg_type    text,
    purl        text,
    fix_state   text,
    fixed_in    text[],
    locations   text[],
    -- What says two scans found the same thing: node, scope, rule and package, a missing value the
    -- same as an empty one. A digest, so that a long conformance test name never outgrows the index.
    match_key   text GENERATED ALWAYS AS (md5(
                    coalesce(node, '') || E'\x1f' || coalesce(scope, '') || E'\x1f' ||
                    coalesce(rule_id, '') || E'\x1f' || coalesce(pkg_name, '') || E'\x1f' ||
                    coalesce(pkg_version, ''))) STORED,
    PRIMARY KEY (scan_id, seq)
);
CREATE INDEX findings_artifact ON findings (scan_id, artifact);
CREATE INDEX findings_match ON findings (scan_id, match_key) WHERE status IN ('FAIL', 'WARN');
CREATE INDEX findings_status ON findings (scan_id, status, seq);
CREATE INDEX findings_severity ON findings (scan_id, severity, seq);
CREATE INDEX findings_node ON findings (scan_id, node, seq);

CREATE TABLE components (
    scan_id  uuid   NOT NULL,
    seq      bigint GENERATED ALWAYS AS IDENTITY,
    artifact text   NOT NULL,
    source   text,
    name     text,
    version  text,
    type     text,
    purl     text,
    PRIMARY KEY (scan_id, seq)
);
CREATE INDEX components_artifact ON components (scan_id, artifact);
