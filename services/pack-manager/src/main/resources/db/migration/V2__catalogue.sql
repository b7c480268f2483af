-- The pack catalogue: every pack version found in a registry, with the files a profile needs.
CREATE TABLE pack_version (
    registry_id   uuid        NOT NULL REFERENCES registry (id) ON DELETE CASCADE,
    name          text        NOT NULL,
    version       text        NOT NULL,
    -- orders versions by semantic precedence with a plain text comparison
    version_key   text        COLLATE "C" NOT NULL,
    digest        text        NOT NULL,
    layer_digest  text        NOT NULL,
    repository    text        NOT NULL,
    layer         text        NOT NULL,
    display_name  text        NOT NULL,
    addon_type    text,
    cloud_types   text[]      NOT NULL,
    pack_json     jsonb       NOT NULL,
    values_yaml   text        NOT NULL,
    schema_yaml   text,
    presets_yaml  text,
    readme        text,
    has_logo      boolean     NOT NULL DEFAULT false,
    added_at      timestamptz NOT NULL,
    PRIMARY KEY (registry_id, name, version)
);

CREATE INDEX pack_version_by_name ON pack_version (name, version_key DESC, registry_id);
CREATE INDEX pack_version_by_layer ON pack_version (layer, name);
CREATE INDEX pack_version_cloud_types ON pack_version USING gin (cloud_types);

-- Tags under spectro-packs/archive/ that hold no valid pack, with the digest that was read: a
-- sync does not fetch them again until their digest changes, and still reports them.
CREATE TABLE pack_rejection (
    registry_id  uuid        NOT NULL REFERENCES registry (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    version      text        NOT NULL,
    digest       text        NOT NULL,
    reason       text        NOT NULL,
    seen_at      timestamptz NOT NULL,
    PRIMARY KEY (registry_id, name, version)
);
