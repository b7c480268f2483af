-- Backup locations. Credentials are sealed (AES-256-GCM, bound to the row's id) and never leave
-- the service but as secret files of a plan, sealed again for node-discovery.
CREATE TABLE backup_locations (
    id                 uuid PRIMARY KEY,
    name               text        NOT NULL UNIQUE,
    provider           text        NOT NULL CHECK (provider IN ('s3', 'minio', 'gcs', 'azure')),
    bucket             text        NOT NULL,
    prefix             text        NOT NULL,
    region             text,
    endpoint           text,
    path_style         boolean     NOT NULL,
    ca_certificate     text,
    credentials        bytea       NOT NULL,
    health_state       text,
    health_failure     text,
    health_message     text,
    health_checked_at  timestamptz,
    last_synced_at     timestamptz,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    version            bigint      NOT NULL
);

-- Backups Easel asked for, and those a sync found in a location's bucket. What is in the bucket
-- is the truth: a finished backup no longer there is removed at the next sync.
CREATE TABLE backups (
    id               uuid PRIMARY KEY,
    cluster_id       uuid,
    location_id      uuid        NOT NULL REFERENCES backup_locations (id) ON DELETE CASCADE,
    name             text        NOT NULL,
    spec             jsonb       NOT NULL,
    state            text        NOT NULL,
    phase            text,
    items_backed_up  bigint      NOT NULL,
    total_items      bigint      NOT NULL,
    errors           int         NOT NULL,
    warnings         int         NOT NULL,
    failure_reason   text,
    trigger          text        NOT NULL,
    actor            text,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    completed_at     timestamptz,
    expires_at       timestamptz,
    etag             text,
    status_reads     int         NOT NULL,
    UNIQUE (location_id, name)
);
CREATE INDEX backups_cluster_idx ON backups (cluster_id, created_at DESC);
CREATE INDEX backups_running_idx ON backups (state) WHERE state IN ('New', 'InProgress');
CREATE INDEX backups_expiry_idx ON backups (expires_at) WHERE state IN ('Completed', 'PartiallyFailed', 'Failed');

CREATE TABLE restores (
    id               uuid PRIMARY KEY,
    cluster_id       uuid        NOT NULL,
    name             text        NOT NULL,
    backup_id        uuid,
    backup_name      text        NOT NULL,
    location_id      uuid,
    spec             jsonb       NOT NULL,
    state            text        NOT NULL,
    phase            text,
    items_restored   bigint      NOT NULL,
    total_items      bigint      NOT NULL,
    errors           int         NOT NULL,
    warnings         int         NOT NULL,
    failure_reason   text,
    actor            text,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    completed_at     timestamptz,
    status_reads     int         NOT NULL
);
CREATE INDEX restores_cluster_idx ON restores (cluster_id, created_at DESC);
CREATE INDEX restores_running_idx ON restores (state) WHERE state IN ('New', 'InProgress');

-- Each plan a backup or restore sent, so its answer finds its owner.
CREATE TABLE backup_plans (
    plan_id     text PRIMARY KEY,
    owner_kind  text        NOT NULL CHECK (owner_kind IN ('backup', 'restore')),
    owner_id    uuid        NOT NULL,
    node_id     uuid        NOT NULL,
    state       text        NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX backup_plans_owner_idx ON backup_plans (owner_id) WHERE state = 'QUEUED';

-- A cluster's backup schedule: the scans' presets or a cron, and the backup it makes.
CREATE TABLE backup_schedules (
    cluster_id  uuid PRIMARY KEY,
    preset      text        NOT NULL CHECK (preset IN ('weekly', 'biweekly', 'monthly', 'bimonthly', 'custom')),
    cron        text,
    zone        text        NOT NULL,
    location_id uuid        NOT NULL REFERENCES backup_locations (id) ON DELETE CASCADE,
    name_prefix text        NOT NULL,
    spec        jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL
);
