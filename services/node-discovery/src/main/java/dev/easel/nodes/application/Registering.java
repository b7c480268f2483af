package dev.easel.nodes.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.nodes.NodeInventoryChanged;
import dev.easel.contracts.nodes.NodeRegistered;
import dev.easel.nodes.application.RequestRefused.Kind;
import dev.easel.nodes.domain.DerivedLabels;
import dev.easel.nodes.domain.Inventory;
import dev.easel.nodes.domain.Platform;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * A machine registers with a registration token and gets a node credential. Registration is
 * idempotent on machine identity: the SMBIOS UUID, else {@code /etc/machine-id}. A machine that
 * registers again keeps its node id and gets a fresh credential; the old one stops working.
 */
@Service
public class Registering {

  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;
  private final Outbox outbox;
  private final Clock clock;
  private final int heartbeatSeconds;

  public Registering(
      JdbcTemplate jdbc,
      ObjectMapper json,
      Outbox outbox,
      Clock clock,
      @Value("${easel.nodes.heartbeat-interval:10s}") Duration heartbeatInterval) {
    this.jdbc = jdbc;
    this.json = json;
    this.outbox = outbox;
    this.clock = clock;
    this.heartbeatSeconds = (int) Math.max(1, heartbeatInterval.toSeconds());
  }

  /** What the agent gets back; the credential is shown only here. */
  public record Registered(UUID nodeId, String nodeCredential, int heartbeatIntervalSeconds) {}

  private record Token(UUID id, Map<String, String> labels) {}

  @Transactional
  public Registered register(String bearer, Inventory inventory) {
    String identity = identity(inventory);
    Token token = valid(bearer);
    Instant now = clock.instant();
    Map<String, String> userLabels = new LinkedHashMap<>(token.labels());
    String declaredPlatform = userLabels.remove(DerivedLabels.PREFIX + "platform");
    Platform platform = Platform.of(inventory, declaredPlatform);
    String credential = Secrets.newSecret("esl_nc_");
    List<Map<String, Object>> existing =
        jdbc.queryForList(
            "SELECT id, lifecycle FROM nodes WHERE machine_id = ? FOR UPDATE", identity);
    UUID nodeId;
    boolean again = !existing.isEmpty();
    if (again) {
      nodeId = (UUID) existing.get(0).get("id");
      if ("DECOMMISSIONED".equals(existing.get(0).get("lifecycle"))) {
        throw new RequestRefused(
            Kind.CONFLICT,
            "node-decommissioned",
            "this machine was decommissioned as node " + nodeId + "; it cannot register again");
      }
      jdbc.update(
          "UPDATE nodes SET hostname = ?, platform = ?, labels = labels || ?::jsonb,"
              + " inventory = ?::jsonb, credential_hash = ?, registered_with = ?, reachable = true,"
              + " last_heartbeat_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
          inventory.hostname(),
          platform.name(),
          json.writeValueAsString(userLabels),
          json.writeValueAsString(inventory),
          Secrets.hash(credential),
          token.id(),
          ts(now),
          ts(now),
          nodeId);
    } else {
      nodeId = UUID.randomUUID();
      jdbc.update(
          "INSERT INTO nodes (id, machine_id, hostname, lifecycle, reachable, platform, labels,"
              + " inventory, credential_hash, registered_with, last_heartbeat_at, registered_at,"
              + " updated_at) VALUES (?, ?, ?, 'FREE', true, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)",
          nodeId,
          identity,
          inventory.hostname(),
          platform.name(),
          json.writeValueAsString(userLabels),
          json.writeValueAsString(inventory),
          Secrets.hash(credential),
          token.id(),
          ts(now),
          ts(now),
          ts(now));
    }
    Map<String, String> labels =
        json.readValue(
            jdbc.queryForObject(
                "SELECT labels::text FROM nodes WHERE id = ?", String.class, nodeId),
            LABELS);
    Map<String, String> all = new LinkedHashMap<>(labels);
    all.putAll(DerivedLabels.of(inventory, platform));
    outbox.publishEvent(
        nodeId.toString(),
        new NodeRegistered(
            nodeId, identity, inventory.hostname(), platform.label(), all, again, token.id(), now));
    // Last: the token's row stays locked from here to the commit, and every registration with
    // this token waits for that lock, so it is held for as short a time as possible.
    use(token, now);
    return new Registered(nodeId, credential, heartbeatSeconds);
  }

  /**
   * Replaces a node's inventory as its agent reports it, announcing only a real change. The machine
   * identity may not change: a different machine must register on its own.
   */
  @Transactional
  public boolean updateInventory(UUID nodeId, Inventory inventory) {
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "SELECT machine_id, platform, inventory::text AS inventory FROM nodes WHERE id = ? FOR UPDATE",
            nodeId);
    if (rows.isEmpty()) {
      throw new RequestRefused(Kind.NOT_FOUND, "not-found", "node " + nodeId + " does not exist");
    }
    Map<String, Object> row = rows.get(0);
    if (!identity(inventory).equals(row.get("machine_id"))) {
      throw new RequestRefused(
          Kind.CONFLICT,
          "machine-identity-changed",
          "the inventory names another machine than the one registered as node " + nodeId);
    }
    Inventory before = json.readValue((String) row.get("inventory"), Inventory.class);
    if (before.equals(inventory)) {
      return false;
    }
    Platform stored = Platform.valueOf((String) row.get("platform"));
    Platform platform = stored == Platform.MAAS ? Platform.MAAS : Platform.of(inventory, null);
    Instant now = clock.instant();
    jdbc.update(
        "UPDATE nodes SET inventory = ?::jsonb, hostname = ?, platform = ?, updated_at = ?,"
            + " version = version + 1 WHERE id = ?",
        json.writeValueAsString(inventory),
        inventory.hostname(),
        platform.name(),
        ts(now),
        nodeId);
    outbox.publishEvent(
        nodeId.toString(),
        new NodeInventoryChanged(
            nodeId, inventory.hostname(), DerivedLabels.of(inventory, platform), now));
    return true;
  }

  /** The machine's identity, or a refusal naming what is missing. */
  static String identity(Inventory inventory) {
    if (inventory.smbios() != null && notBlank(inventory.smbios().uuid())) {
      return "smbios:" + inventory.smbios().uuid().trim().toLowerCase(java.util.Locale.ROOT);
    }
    if (notBlank(inventory.machineId())) {
      return "machine-id:" + inventory.machineId().trim();
    }
    throw new RequestRefused(
        Kind.INVALID,
        "machine-identity-missing",
        "the inventory carries neither an SMBIOS UUID nor a machine id, so the machine cannot be"
            + " recognised when it registers again");
  }

  /**
   * Uses the token once, atomically: a token at its limit cannot be used twice by two racing
   * registrations. A refusal says why, without telling an unknown token from a known one's secret.
   */
  /** The token, if it can still be used; nothing is locked or changed yet. */
  private Token valid(String bearer) {
    if (bearer == null || bearer.isBlank()) {
      throw new RequestRefused(
          Kind.UNAUTHORIZED, "unauthorized", "a registration token is required");
    }
    byte[] hash = Secrets.hash(bearer);
    List<Token> found =
        jdbc.query(
            "SELECT id, labels::text FROM registration_tokens WHERE token_hash = ?"
                + " AND revoked_at IS NULL AND expires_at > ? AND uses < max_uses",
            (rs, i) ->
                new Token(rs.getObject(1, UUID.class), json.readValue(rs.getString(2), LABELS)),
            hash,
            ts(clock.instant()));
    if (found.isEmpty()) {
      throw refusal("token_hash = ?", hash);
    }
    return found.get(0);
  }

  /**
   * Uses the token once, in one conditional update, so racing registrations cannot use it more than
   * {@code maxUses} times; a refusal rolls the whole registration back.
   */
  private void use(Token token, Instant now) {
    int used =
        jdbc.update(
            "UPDATE registration_tokens SET uses = uses + 1 WHERE id = ? AND revoked_at IS NULL"
                + " AND expires_at > ? AND uses < max_uses",
            token.id(),
            ts(now));
    if (used == 0) {
      throw refusal("id = ?", token.id());
    }
  }

  private RequestRefused refusal(String where, Object key) {
    List<String> why =
        jdbc.query(
            "SELECT CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN expires_at <= ? THEN 'expired'"
                + " ELSE 'used up' END FROM registration_tokens WHERE "
                + where,
            (rs, i) -> rs.getString(1),
            ts(clock.instant()),
            key);
    String reason = why.isEmpty() ? "unknown" : why.get(0);
    return new RequestRefused(
        Kind.UNAUTHORIZED, "unauthorized", "the registration token is " + reason);
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.from(i);
  }
}
