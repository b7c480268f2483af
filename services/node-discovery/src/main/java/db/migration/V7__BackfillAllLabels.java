package db.migration;

import dev.easel.nodes.domain.DerivedLabels;
import dev.easel.nodes.domain.Inventory;
import dev.easel.nodes.domain.Platform;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fills {@code nodes.all_labels} for nodes registered before V6, with the derived labels the domain
 * computes from each node's inventory. In Java because that computation is the domain's.
 */
public class V7__BackfillAllLabels extends BaseJavaMigration {

  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  @Override
  public void migrate(Context context) throws Exception {
    JsonMapper json =
        JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    try (Statement select = context.getConnection().createStatement();
        ResultSet rs =
            select.executeQuery("SELECT id, labels::text, inventory::text, platform FROM nodes");
        PreparedStatement update =
            context
                .getConnection()
                .prepareStatement("UPDATE nodes SET all_labels = ?::jsonb WHERE id = ?")) {
      while (rs.next()) {
        Map<String, String> all = new LinkedHashMap<>(json.readValue(rs.getString(2), LABELS));
        all.putAll(
            DerivedLabels.of(
                json.readValue(rs.getString(3), Inventory.class),
                Platform.valueOf(rs.getString(4))));
        update.setString(1, json.writeValueAsString(all));
        update.setObject(2, rs.getObject(1, UUID.class));
        update.addBatch();
      }
      update.executeBatch();
    }
  }
}
