-- Cluster profiles: a name has many versions; a published version never changes.
CREATE TABLE profile_version (
    name          text        NOT NULL,
    version       text        NOT NULL,
    version_key   text        COLLATE "C" NOT NULL,
    description   text,
    type          text        NOT NULL,
    cloud_type    text        NOT NULL,
    definition    jsonb       NOT NULL,
    state         text        NOT NULL CHECK (state IN ('DRAFT', 'PUBLISHED')),
    resolved      jsonb,
    revision      bigint      NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    published_at  timestamptz,
    PRIMARY KEY (name, version)
);

-- Which clusters use which profile versions, as cluster-former's events tell.
CREATE TABLE profile_usage (
    cluster_id       uuid        NOT NULL,
    profile_name     text        NOT NULL,
    profile_version  text        NOT NULL,
    since            timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, profile_name, profile_version)
);

CREATE INDEX profile_usage_by_version ON profile_usage (profile_name, profile_version);
