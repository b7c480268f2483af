package dev.easel.packs.adapters.out.persistence;

import static dev.easel.packs.adapters.out.persistence.JdbcRegistryStore.instant;

import dev.easel.packs.application.port.CatalogueStore;
import dev.easel.packs.domain.CataloguedPack;
import dev.easel.packs.domain.PackManifest;
import dev.easel.packs.domain.VersionKey;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/** The pack catalogue in PostgreSQL. */
@Repository
class JdbcCatalogueStore implements CatalogueStore {

  private static final String SUMMARY =
      "r.name AS registry, p.registry_id, p.name, p.version, p.version_key, p.display_name,"
          + " p.layer, p.addon_type, p.cloud_types, p.digest, p.repository, p.added_at";
  private static final String FULL =
      "r.name AS registry, p.registry_id, p.repository, p.pack_json::text, p.values_yaml,"
          + " p.schema_yaml, p.presets_yaml, p.digest";

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcCatalogueStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public Map<String, String> digests(UUID registryId) {
    Map<String, String> out = new HashMap<>();
    jdbc.query(
        "SELECT name, version, digest FROM pack_version WHERE registry_id = ?",
        rs -> {
          out.put(rs.getString(1) + ":" + rs.getString(2), rs.getString(3));
        },
        registryId);
    return out;
  }

  @Override
  public Map<String, Rejection> rejections(UUID registryId) {
    Map<String, Rejection> out = new HashMap<>();
    jdbc.query(
        "SELECT name, version, digest, reason FROM pack_rejection WHERE registry_id = ?",
        rs -> {
          String key = rs.getString(1) + ":" + rs.getString(2);
          out.put(key, new Rejection(key, rs.getString(3), rs.getString(4)));
        },
        registryId);
    return out;
  }

  @Override
  public void reject(UUID registryId, Collection<Rejection> rejections, java.time.Instant at) {
    List<Object[]> args = new ArrayList<>();
    for (Rejection r : rejections) {
      int i = r.key().indexOf(':');
      args.add(
          new Object[] {
            registryId,
            r.key().substring(0, i),
            r.key().substring(i + 1),
            r.digest(),
            r.reason(),
            Timestamp.from(at)
          });
    }
    jdbc.batchUpdate(
        "INSERT INTO pack_rejection (registry_id, name, version, digest, reason, seen_at) VALUES"
            + " (?, ?, ?, ?, ?, ?) ON CONFLICT (registry_id, name, version) DO UPDATE SET digest ="
            + " excluded.digest, reason = excluded.reason, seen_at = excluded.seen_at",
        args);
  }

  @Override
  public void forgetRejections(UUID registryId, Collection<String> keys) {
    List<Object[]> args = new ArrayList<>();
    for (String k : keys) {
      int i = k.indexOf(':');
      args.add(new Object[] {registryId, k.substring(0, i), k.substring(i + 1)});
    }
    jdbc.batchUpdate(
        "DELETE FROM pack_rejection WHERE registry_id = ? AND name = ? AND version = ?", args);
  }

  @Override
  public void upsert(Collection<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    List<Entry> list = new ArrayList<>(entries);
    jdbc.batchUpdate(
        "INSERT INTO pack_version (registry_id, name, version, version_key, digest, layer_digest,"
            + " repository, layer, display_name, addon_type, cloud_types, pack_json, values_yaml,"
            + " schema_yaml, presets_yaml, readme, has_logo, added_at) VALUES (?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?) ON CONFLICT (registry_id, name, version)"
            + " DO UPDATE SET digest = excluded.digest, layer_digest = excluded.layer_digest,"
            + " repository = excluded.repository, layer = excluded.layer, display_name ="
            + " excluded.display_name, addon_type = excluded.addon_type, cloud_types ="
            + " excluded.cloud_types, pack_json = excluded.pack_json, values_yaml ="
            + " excluded.values_yaml, schema_yaml = excluded.schema_yaml, presets_yaml ="
            + " excluded.presets_yaml, readme = excluded.readme, has_logo = excluded.has_logo,"
            + " added_at = excluded.added_at",
        list,
        500,
        (PreparedStatement ps, Entry e) -> {
          PackManifest m = e.manifest();
          ps.setObject(1, e.registryId());
          ps.setString(2, m.name());
          ps.setString(3, m.version());
          ps.setString(4, VersionKey.of(m.version()));
          ps.setString(5, e.digest());
          ps.setString(6, e.layerDigest());
          ps.setString(7, e.repository());
          ps.setString(8, m.layer());
          ps.setString(9, m.displayName());
          ps.setString(10, m.addonType());
          ps.setArray(11, ps.getConnection().createArrayOf("text", m.cloudTypes().toArray()));
          ps.setString(12, e.packJson());
          ps.setString(13, e.valuesYaml());
          ps.setString(14, e.schemaYaml());
          ps.setString(15, e.presetsYaml());
          ps.setString(16, e.readme());
          ps.setBoolean(17, e.hasLogo());
          ps.setTimestamp(18, Timestamp.from(e.addedAt()));
        });
  }

  @Override
  public void remove(UUID registryId, Collection<String> nameVersions) {
    List<Object[]> args = new ArrayList<>();
    for (String nv : nameVersions) {
      int at = nv.indexOf(':');
      args.add(new Object[] {registryId, nv.substring(0, at), nv.substring(at + 1)});
    }
    jdbc.batchUpdate(
        "DELETE FROM pack_version WHERE registry_id = ? AND name = ? AND version = ?", args);
  }

  @Override
  public Page list(Filter f, Cursor after, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + SUMMARY
                + " FROM pack_version p JOIN registry r ON r.id = p.registry_id WHERE true");
    List<Object> args = new ArrayList<>();
    if (f.layer() != null) {
      sql.append(" AND p.layer = ?");
      args.add(f.layer());
    }
    if (f.cloudType() != null) {
      sql.append(" AND p.cloud_types && ARRAY[?, 'all']::text[]");
      args.add(f.cloudType());
    }
    if (f.name() != null) {
      sql.append(" AND p.name = ?");
      args.add(f.name());
    }
    if (f.registry() != null) {
      sql.append(" AND (r.name = ? OR r.id::text = ?)");
      args.add(f.registry());
      args.add(f.registry());
    }
    if (f.q() != null && !f.q().isBlank()) {
      String like = "%" + f.q().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
      sql.append(" AND (p.name ILIKE ? OR p.display_name ILIKE ?)");
      args.add(like);
      args.add(like);
    }
    if (after != null) {
      sql.append(
          " AND (p.name > ? OR (p.name = ? AND (p.version_key < ? OR (p.version_key = ? AND"
              + " p.registry_id > ?))))");
      args.addAll(
          Arrays.asList(
              after.name(),
              after.name(),
              after.versionKey(),
              after.versionKey(),
              after.registryId()));
    }
    sql.append(" ORDER BY p.name, p.version_key DESC, p.registry_id LIMIT ?");
    args.add(limit + 1);
    List<Object[]> keys = new ArrayList<>();
    List<Summary> rows =
        jdbc.query(
            sql.toString(),
            (rs, i) -> {
              keys.add(
                  new Object[] {
                    rs.getString("name"),
                    rs.getString("version_key"),
                    rs.getObject("registry_id", UUID.class)
                  });
              return summary(rs);
            },
            args.toArray());
    Cursor next = null;
    if (rows.size() > limit) {
      rows = rows.subList(0, limit);
      Object[] k = keys.get(limit - 1);
      next = new Cursor((String) k[0], (String) k[1], (UUID) k[2]);
    }
    return new Page(List.copyOf(rows), next);
  }

  @Override
  public List<Summary> versions(String name) {
    return jdbc.query(
        "SELECT "
            + SUMMARY
            + " FROM pack_version p JOIN registry r ON r.id = p.registry_id WHERE p.name = ? ORDER"
            + " BY p.version_key DESC, r.kind DESC, r.name",
        (rs, i) -> summary(rs),
        name);
  }

  @Override
  public List<CataloguedPack> find(String name, String version) {
    // The internal registry first: where a name and version are in several registries, the
    // appliance's own copy is the default.
    return jdbc.query(
        "SELECT "
            + FULL
            + " FROM pack_version p JOIN registry r ON r.id = p.registry_id WHERE p.name = ? AND"
            + " p.version = ? ORDER BY r.kind DESC, r.name",
        (rs, i) -> full(rs),
        name,
        version);
  }

  @Override
  public Optional<CataloguedPack> find(UUID registryId, String name, String version) {
    return jdbc
        .query(
            "SELECT "
                + FULL
                + " FROM pack_version p JOIN registry r ON r.id = p.registry_id WHERE"
                + " p.registry_id = ? AND p.name = ? AND p.version = ?",
            (rs, i) -> full(rs),
            registryId,
            name,
            version)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<String> readme(UUID registryId, String name, String version) {
    return jdbc
        .query(
            "SELECT readme FROM pack_version WHERE registry_id = ? AND name = ? AND version = ?",
            (rs, i) -> rs.getString(1),
            registryId,
            name,
            version)
        .stream()
        .findFirst();
  }

  @Override
  public List<Summary> ofRegistry(UUID registryId) {
    return jdbc.query(
        "SELECT "
            + SUMMARY
            + " FROM pack_version p JOIN registry r ON r.id = p.registry_id WHERE p.registry_id = ?"
            + " ORDER BY p.name, p.version_key DESC",
        (rs, i) -> summary(rs),
        registryId);
  }

  private Summary summary(ResultSet rs) throws SQLException {
    Array cloud = rs.getArray("cloud_types");
    return new Summary(
        rs.getString("registry"),
        rs.getObject("registry_id", UUID.class),
        rs.getString("name"),
        rs.getString("version"),
        rs.getString("display_name"),
        rs.getString("layer"),
        rs.getString("addon_type"),
        cloud == null ? List.of() : List.of((String[]) cloud.getArray()),
        rs.getString("digest"),
        rs.getString("repository"),
        instant(rs, "added_at"));
  }

  private CataloguedPack full(ResultSet rs) throws SQLException {
    return new CataloguedPack(
        rs.getString("registry"),
        rs.getObject("registry_id", UUID.class).toString(),
        rs.getString("repository"),
        json.readValue(rs.getString("pack_json"), PackManifest.class),
        rs.getString("values_yaml"),
        rs.getString("schema_yaml"),
        rs.getString("presets_yaml"),
        rs.getString("digest"));
  }
}
