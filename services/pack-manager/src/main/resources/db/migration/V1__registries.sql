-- Registries pack-manager keeps packs in. The password is sealed with AES-GCM (nonce, ciphertext
-- and tag, bound to the row's id) and never leaves the service.
CREATE TABLE registry (
    id                       uuid PRIMARY KEY,
    name                     text        NOT NULL UNIQUE,
    kind                     text        NOT NULL CHECK (kind IN ('internal', 'external')),
    endpoint                 text        NOT NULL,
    base_content_path        text        NOT NULL DEFAULT '',
    username                 text,
    password_sealed          bytea,
    ca_certificate           text,
    insecure_skip_tls_verify boolean     NOT NULL DEFAULT false,
    sync_interval_seconds    integer     NOT NULL CHECK (sync_interval_seconds >= 60),
    revision                 bigint      NOT NULL DEFAULT 1,
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    -- health, as the last check saw it
    health_state             text CHECK (health_state IN ('HEALTHY', 'UNAUTHORIZED', 'UNREACHABLE', 'TLS_ERROR')),
    health_detail            text,
    health_checked_at        timestamptz,
    health_changed_at        timestamptz,
    -- the latest sync; a running sync holds a lease so that one instance syncs a registry at a time
    sync_state               text        NOT NULL DEFAULT 'NEVER'
                                 CHECK (sync_state IN ('NEVER', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    sync_started_at          timestamptz,
    sync_finished_at         timestamptz,
    sync_lease_until         timestamptz,
    sync_packs_added         integer     NOT NULL DEFAULT 0,
    sync_packs_removed       integer     NOT NULL DEFAULT 0,
    sync_manifests_fetched   integer     NOT NULL DEFAULT 0,
    sync_errors              jsonb       NOT NULL DEFAULT '[]',
    sync_requested           boolean     NOT NULL DEFAULT true,
    next_sync_at             timestamptz
);

-- At most one internal registry.
CREATE UNIQUE INDEX registry_one_internal ON registry ((true)) WHERE kind = 'internal';
