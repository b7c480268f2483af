package dev.easel.nodes.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.nodes.NodeInventoryChanged;
import dev.easel.contracts.nodes.NodeRecovered;
import dev.easel.contracts.nodes.NodeRegistered;
import dev.easel.nodes.application.RequestRefused.Kind;
import dev.easel.nodes.application.port.Credentials;
import dev.easel.nodes.application.port.NodeRecord;
import dev.easel.nodes.application.port.NodeStore;
import dev.easel.nodes.application.port.TokenStore;
import dev.easel.nodes.domain.DerivedLabels;
import dev.easel.nodes.domain.Inventory;
import dev.easel.nodes.domain.Labels;
import dev.easel.nodes.domain.MachineIdentity;
import dev.easel.nodes.domain.Node;
import dev.easel.nodes.domain.Platform;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A machine registers with a registration token and gets a node credential. Registration is
 * idempotent on machine identity ({@link MachineIdentity}): a machine that registers again keeps
 * its node id and gets a fresh credential; the old one stops working.
 */
@Service
public class Registering {

  private final NodeStore nodes;
  private final TokenStore tokens;
  private final Credentials credentials;
  private final Outbox outbox;
  private final Clock clock;
  private final int heartbeatSeconds;

  public Registering(
      NodeStore nodes,
      TokenStore tokens,
      Credentials credentials,
      Outbox outbox,
      Clock clock,
      @Value("${easel.nodes.heartbeat-interval:10s}") Duration heartbeatInterval) {
    this.nodes = nodes;
    this.tokens = tokens;
    this.credentials = credentials;
    this.outbox = outbox;
    this.clock = clock;
    this.heartbeatSeconds = (int) Math.max(1, heartbeatInterval.toSeconds());
  }

  /** What the agent gets back; the credential is shown only here. */
  public record Registered(UUID nodeId, String nodeCredential, int heartbeatIntervalSeconds) {}

  /**
   * Checks the token before anything of the request body is read, so an anonymous caller learns
   * nothing of how a body is checked and costs the service no parsing.
   *
   * @throws RequestRefused 401 naming why the token cannot be used
   */
  public TokenStore.Usable authenticate(String bearer) {
    if (bearer == null || bearer.isBlank()) {
      throw new RequestRefused(
          Kind.UNAUTHORIZED, "unauthorized", "a registration token is required");
    }
    byte[] hash = Secrets.hash(bearer);
    Instant now = clock.instant();
    return tokens
        .usable(hash, now)
        .orElseThrow(
            () ->
                new RequestRefused(
                    Kind.UNAUTHORIZED,
                    "unauthorized",
                    "the registration token is " + tokens.whyUnusable(hash, now)));
  }

  @Transactional
  public Registered register(TokenStore.Usable token, Inventory inventory) {
    String identity =
        MachineIdentity.of(inventory)
            .orElseThrow(
                () ->
                    new RequestRefused(
                        Kind.INVALID,
                        "machine-identity-missing",
                        "the inventory carries neither an SMBIOS UUID nor a machine id, so the"
                            + " machine cannot be recognised when it registers again"));
    Instant now = clock.instant();
    Map<String, String> tokenLabels = new LinkedHashMap<>(token.labels());
    String declaredPlatform = tokenLabels.remove(DerivedLabels.PREFIX + "platform");
    Platform platform = Platform.of(inventory, declaredPlatform);
    String credential = Secrets.newSecret("esl_nc_");
    NodeRecord record;
    boolean again;
    boolean recovered = false;
    var existing = nodes.lockByMachine(identity);
    if (existing.isPresent()) {
      again = true;
      NodeRecord before = existing.get();
      Node.Outcome outcome = before.node().reRegistered();
      if (outcome instanceof Node.Refused refused) {
        throw new RequestRefused(
            Kind.CONFLICT,
            refused.code(),
            "this machine was decommissioned as node " + before.id() + "; " + refused.reason());
      }
      Node after = before.node();
      if (outcome instanceof Node.Changed changed) {
        after = changed.to();
        recovered = true;
      }
      Map<String, String> labels = new LinkedHashMap<>(before.userLabels());
      labels.putAll(tokenLabels);
      requireLabelCap(labels);
      record =
          new NodeRecord(
              before.id(),
              identity,
              inventory.hostname(),
              after,
              platform,
              labels,
              inventory,
              before.version());
      nodes.saveRegistration(record, Secrets.hash(credential), token.id(), now);
    } else {
      again = false;
      record =
          new NodeRecord(
              UUID.randomUUID(),
              identity,
              inventory.hostname(),
              Node.registered(),
              platform,
              tokenLabels,
              inventory,
              0);
      nodes.insert(record, Secrets.hash(credential), token.id(), now);
    }
    Map<String, String> all = new LinkedHashMap<>(record.userLabels());
    all.putAll(DerivedLabels.of(inventory, platform));
    String key = record.id().toString();
    if (recovered) {
      outbox.publishEvent(key, new NodeRecovered(record.id(), now));
    }
    outbox.publishEvent(
        key,
        new NodeRegistered(
            record.id(),
            identity,
            inventory.hostname(),
            platform.label(),
            all,
            again,
            token.id(),
            Facts.of(inventory, platform),
            now));
    // Last: the token's row stays locked from here to the commit, and every registration with
    // this token waits for that lock, so it is held for as short a time as possible.
    if (!tokens.use(token.id(), now)) {
      throw new RequestRefused(
          Kind.UNAUTHORIZED,
          "unauthorized",
          "the registration token is " + tokens.whyUnusable(token.id(), now));
    }
    UUID id = record.id();
    AfterCommit.run(() -> credentials.forget(id)); // its old credential is refused at once
    return new Registered(record.id(), credential, heartbeatSeconds);
  }

  /**
   * Replaces a node's inventory as its agent reports it, announcing only a real change. The machine
   * identity may not change: a different machine must register on its own.
   */
  @Transactional
  public boolean updateInventory(UUID nodeId, Inventory inventory) {
    NodeRecord before =
        nodes
            .lockRecord(nodeId)
            .orElseThrow(
                () ->
                    new RequestRefused(
                        Kind.NOT_FOUND, "not-found", "node " + nodeId + " does not exist"));
    if (!MachineIdentity.of(inventory).map(before.machineId()::equals).orElse(false)) {
      throw new RequestRefused(
          Kind.CONFLICT,
          "machine-identity-changed",
          "the inventory names another machine than the one registered as node " + nodeId);
    }
    if (before.inventory().equals(inventory)) {
      return false;
    }
    Platform platform =
        before.platform() == Platform.MAAS ? Platform.MAAS : Platform.of(inventory, null);
    Instant now = clock.instant();
    nodes.saveInventory(
        new NodeRecord(
            nodeId,
            before.machineId(),
            inventory.hostname(),
            before.node(),
            platform,
            before.userLabels(),
            inventory,
            before.version()),
        now);
    outbox.publishEvent(
        nodeId.toString(),
        new NodeInventoryChanged(
            nodeId,
            inventory.hostname(),
            DerivedLabels.of(inventory, platform),
            Facts.of(inventory, platform),
            now));
    return true;
  }

  private static void requireLabelCap(Map<String, String> labels) {
    if (labels.size() > Labels.MAX_PER_NODE) {
      throw new RequestRefused(
          Kind.INVALID,
          "invalid-labels",
          "a node carries at most " + Labels.MAX_PER_NODE + " user labels");
    }
  }
}
