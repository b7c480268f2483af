package dev.easel.common.outbox;

import dev.easel.common.envelope.Envelope;
import dev.easel.common.envelope.Ids;
import dev.easel.common.envelope.MessageContext;
import dev.easel.common.envelope.Requester;
import dev.easel.common.envelope.TraceParent;
import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.Topics;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.ObjectMapper;

/** The PostgreSQL outbox. */
public final class JdbcOutbox implements Outbox {

  private static final String INSERT =
      "INSERT INTO easel.outbox (id, topic, msg_key, type, source, subject, occurred_at,"
          + " extensions, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)";

  private final JdbcTemplate jdbc;
  private final ContractRegistry registry;
  private final ObjectMapper json;
  private final String context;
  private final String source;
  private final Clock clock;
  private final RelayWakeup relay;
  private final Requester requester;

  public JdbcOutbox(
      JdbcTemplate jdbc,
      ContractRegistry registry,
      ObjectMapper json,
      String context,
      String source,
      Clock clock,
      RelayWakeup relay) {
    this(jdbc, registry, json, context, source, clock, relay, Requester.NONE);
  }

  /**
   * @param requester who asked, for what is appended with no message being handled and no actor of
   *     its own
   */
  public JdbcOutbox(
      JdbcTemplate jdbc,
      ContractRegistry registry,
      ObjectMapper json,
      String context,
      String source,
      Clock clock,
      RelayWakeup relay,
      Requester requester) {
    this.relay = relay;
    this.requester = requester;
    this.jdbc = jdbc;
    this.registry = registry;
    this.json = json;
    this.context = context;
    this.source = source;
    this.clock = clock;
  }

  @Override
  public UUID publishEvent(String aggregateId, Object event) {
    return append(OutboundMessage.of(Topics.events(context), aggregateId, event));
  }

  @Override
  public UUID append(OutboundMessage message) {
    return appendAll(List.of(message)).get(0);
  }

  @Override
  public List<UUID> appendAll(List<OutboundMessage> messages) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException(
          "the outbox joins the caller's transaction; call it inside one");
    }
    List<UUID> ids = new ArrayList<>(messages.size());
    List<Object[]> rows = new ArrayList<>(messages.size());
    TransactionState transaction = transactionState();
    Envelope cause = MessageContext.current().orElse(null);
    String requestedBy = cause == null ? requester.current().orElse(null) : null;
    String parentTrace =
        cause != null && cause.traceparent() != null
            ? cause.traceparent()
            : transaction.rootTrace();
    Instant now = clock.instant();
    for (OutboundMessage m : messages) {
      UUID id = m.id() != null ? m.id() : Ids.next();
      ids.add(id);
      rows.add(
          new Object[] {
            id,
            m.topic(),
            m.key(),
            registry.typeOf(m.payload().getClass()),
            source,
            m.key(),
            Timestamp.from(now),
            json.writeValueAsString(extensions(m, cause, requestedBy, id, parentTrace)),
            json.writeValueAsString(m.payload())
          });
    }
    transaction.rows().addAll(rows);
    return ids;
  }

  /**
   * What the outbox keeps for the current transaction, set up on its first append.
   *
   * <p>It holds the transaction's rows and writes them all just before commit, in one batched
   * insert: a consumer handling a batch of records in one transaction then writes its replies in
   * one statement rather than one each. The rows still go in inside the transaction, while its
   * locks are held, so their {@code seq} order is the order of the aggregates' changes.
   *
   * <p>It wakes the relay once per transaction. When the leading relay runs in this process it is
   * woken in memory after commit. Otherwise a {@code NOTIFY} rides on the transaction, delivered
   * only if it commits. NOTIFY takes a cluster-wide lock at commit that serializes every notifying
   * transaction, so the in-memory path is what lets commits group on the hot path.
   *
   * <p>It also holds one trace for everything a transaction emits without an inbound message (a
   * saga started by an operator, say), so those messages share a trace rather than each starting
   * its own.
   */
  private TransactionState transactionState() {
    TransactionState existing =
        (TransactionState) TransactionSynchronizationManager.getResource(this);
    if (existing != null) {
      return existing;
    }
    TransactionState state = new TransactionState(TraceParent.newTrace(), new ArrayList<>());
    TransactionSynchronizationManager.bindResource(this, state);
    boolean local = relay.isLeader();
    if (!local) {
      jdbc.queryForList("SELECT pg_notify('easel_outbox', '')");
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void beforeCommit(boolean readOnly) {
            List<Object[]> rows = state.rows();
            for (int from = 0; from < rows.size(); from += FLUSH_CHUNK) {
              jdbc.batchUpdate(
                  INSERT, rows.subList(from, Math.min(rows.size(), from + FLUSH_CHUNK)));
            }
            rows.clear();
          }

          @Override
          public void afterCommit() {
            if (local) {
              relay.wake();
            }
          }

          @Override
          public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(JdbcOutbox.this);
          }
        });
    return state;
  }

  private record TransactionState(String rootTrace, List<Object[]> rows) {}

  /** Rows per batched insert: large batches, well under PostgreSQL's 65,535 parameters. */
  private static final int FLUSH_CHUNK = 1000;

  private static Map<String, String> extensions(
      OutboundMessage m, Envelope cause, String requestedBy, UUID id, String parentTrace) {
    Map<String, String> ext = new LinkedHashMap<>();
    String correlation = m.correlationId();
    if (correlation == null && cause != null) {
      correlation = cause.correlationId() != null ? cause.correlationId() : cause.id();
    }
    ext.put("correlationid", correlation == null ? id.toString() : correlation);
    String causation =
        m.causationId() != null ? m.causationId() : cause == null ? null : cause.id();
    putIfPresent(ext, "causationid", causation);
    putIfPresent(ext, "sagaid", m.sagaId());
    putIfPresent(
        ext, "actor", m.actor() != null ? m.actor() : cause == null ? requestedBy : cause.actor());
    ext.put(
        "traceparent",
        TraceParent.childOf(m.parentTrace() != null ? m.parentTrace() : parentTrace));
    putIfPresent(ext, "requestid", m.requestId());
    putIfPresent(ext, "replyto", m.replyTo());
    return ext;
  }

  private static void putIfPresent(Map<String, String> ext, String name, String value) {
    if (value != null) {
      ext.put(name, value);
    }
  }
}
