package dev.easel.common.saga;

import dev.easel.common.envelope.Envelope;
import dev.easel.common.envelope.Ids;
import dev.easel.common.envelope.MessageContext;
import dev.easel.common.envelope.Requester;
import dev.easel.common.envelope.TraceParent;
import dev.easel.common.inbox.InboundMessage;
import dev.easel.common.outbox.OutboundMessage;
import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs orchestrated sagas: {@link SagaTransitions} decides, a {@link SagaStore} keeps, and the
 * outbox sends, all in one database transaction per transition.
 *
 * <p>Concurrency: each transition re-reads the saga and writes it with a version check. Two replies
 * that race both land: the loser re-reads and applies its reply on top of the winner's. What a
 * transition sends is appended only after its write succeeded, while the saga's row is locked by
 * that write, so a saga's events reach the outbox in the order of its transitions.
 */
public final class SagaEngine {

  private static final Logger log = LoggerFactory.getLogger(SagaEngine.class);
  private static final int MAX_CONFLICT_RETRIES = 20;

  private final SagaStore store;
  private final Outbox outbox;
  private final ObjectMapper json;
  private final TransactionTemplate tx;
  private final String context;
  private final String source;
  private final Clock clock;
  private final SagaTransitions transitions;
  private final Map<String, SagaDefinition<?>> definitions = new LinkedHashMap<>();
  private final MeterRegistry meters;
  private final Counter conflicts;
  private final List<SagaListener> listeners;
  private final Requester requester;

  public SagaEngine(
      SagaStore store,
      Outbox outbox,
      ObjectMapper json,
      TransactionTemplate tx,
      String context,
      String source,
      Clock clock,
      MeterRegistry meters,
      Collection<SagaDefinition<?>> definitions) {
    this(store, outbox, json, tx, context, source, clock, meters, definitions, List.of());
  }

  /**
   * @param listeners told of every stored transition, in its transaction
   */
  public SagaEngine(
      SagaStore store,
      Outbox outbox,
      ObjectMapper json,
      TransactionTemplate tx,
      String context,
      String source,
      Clock clock,
      MeterRegistry meters,
      Collection<SagaDefinition<?>> definitions,
      List<SagaListener> listeners) {
    this(
        store,
        outbox,
        json,
        tx,
        context,
        source,
        clock,
        meters,
        definitions,
        listeners,
        Requester.NONE);
  }

  /**
   * @param listeners told of every stored transition, in its transaction
   * @param requester who asked, for a saga started with no message being handled: its actor
   */
  public SagaEngine(
      SagaStore store,
      Outbox outbox,
      ObjectMapper json,
      TransactionTemplate tx,
      String context,
      String source,
      Clock clock,
      MeterRegistry meters,
      Collection<SagaDefinition<?>> definitions,
      List<SagaListener> listeners,
      Requester requester) {
    this.requester = requester;
    this.listeners = List.copyOf(listeners);
    this.store = store;
    this.outbox = outbox;
    this.json = json;
    this.tx = tx;
    this.context = context;
    this.source = source;
    this.clock = clock;
    this.meters = meters;
    this.transitions = new SagaTransitions(json, Ids::next);
    this.conflicts = Counter.builder("easel.saga.conflicts").register(meters);
    for (SagaDefinition<?> d : definitions) {
      if (this.definitions.putIfAbsent(d.name(), d) != null) {
        throw new IllegalStateException("two saga definitions are named " + d.name());
      }
    }
  }

  /**
   * Starts a saga in the caller's transaction, or in a new one if there is none. It inherits the
   * correlation, actor and trace of the message being handled, if any; with none, its actor is the
   * {@link Requester} being served.
   *
   * @return the saga id
   */
  public <D> UUID start(SagaDefinition<D> definition, D data) {
    if (definitions.get(definition.name()) != definition) {
      throw new IllegalArgumentException("saga " + definition.name() + " is not registered");
    }
    return tx.execute(
        status -> {
          Optional<Envelope> cause = MessageContext.current();
          UUID id = Ids.next();
          String correlation =
              cause
                  .map(e -> e.correlationId() != null ? e.correlationId() : e.id())
                  .orElse(id.toString());
          // Who asked: the actor of the message being handled, else the requester being served.
          String actor =
              cause.isPresent()
                  ? cause.map(Envelope::actor).orElse(source)
                  : requester.current().orElse(source);
          String trace =
              cause
                  .map(Envelope::traceparent)
                  .map(TraceParent::childOf)
                  .orElseGet(TraceParent::newTrace);
          Transition t =
              transitions.start(definition, data, id, clock.instant(), correlation, actor, trace);
          store.insert(t.state());
          meters.counter("easel.saga.started", "type", definition.name()).increment();
          flush(SagaStatus.RUNNING, t);
          return id;
        });
  }

  /**
   * Handles a batch of participants' replies in the caller's (the inbox's) transaction: the sagas
   * they answer are read in one query, each saga's replies are applied in order, and the sagas are
   * written back in one round trip. A saga another instance changed meanwhile has its replies
   * applied again one by one, on top of that change.
   */
  public void onReplies(List<InboundMessage<Object>> replies) {
    Map<UUID, List<InboundMessage<Object>>> bySaga = new LinkedHashMap<>();
    for (InboundMessage<Object> reply : replies) {
      UUID id = sagaIdOf(reply);
      if (id != null) {
        bySaga.computeIfAbsent(id, k -> new ArrayList<>()).add(reply);
      }
    }
    Map<UUID, SagaSnapshot> loaded = store.findAll(bySaga.keySet());
    List<Applied> applied = new ArrayList<>();
    for (Map.Entry<UUID, List<InboundMessage<Object>>> e : bySaga.entrySet()) {
      SagaSnapshot s = loaded.get(e.getKey());
      if (s == null) {
        log.warn("replies name unknown saga {}; ignored", e.getKey());
        continue;
      }
      SagaDefinition<?> def = definitions.get(s.type());
      if (def == null) {
        log.warn("saga {} has unknown type {}; replies ignored", s.id(), s.type());
        continue;
      }
      Applied a = new Applied(s, e.getValue());
      SagaSnapshot current = s;
      for (InboundMessage<Object> reply : e.getValue()) {
        Optional<Transition> t =
            transitions.onReply(
                def, current, reply.envelope().causationId(), reply.payload(), clock.instant());
        if (t.isPresent()) {
          a.steps.add(new Step(current.status(), t.get(), reply.envelope()));
          current = t.get().state();
        }
      }
      if (!a.steps.isEmpty()) {
        applied.add(a);
      }
    }
    if (applied.isEmpty()) {
      return;
    }
    boolean[] written =
        store.updateAll(
            applied.stream()
                .map(a -> a.steps.get(a.steps.size() - 1).transition().state())
                .toList(),
            applied.stream().map(a -> a.loaded.version()).toList());
    Map<UUID, List<SagaHistoryEntry>> history = new LinkedHashMap<>();
    for (int i = 0; i < applied.size(); i++) {
      Applied a = applied.get(i);
      if (!written[i]) {
        conflicts.increment();
        a.replies.forEach(this::onReply);
        continue;
      }
      for (Step step : a.steps) {
        history
            .computeIfAbsent(a.loaded.id(), k -> new ArrayList<>())
            .addAll(step.transition().history());
        MessageContext.runWith(step.cause(), () -> send(step.before(), step.transition()));
      }
    }
    store.appendHistory(history);
  }

  /** A saga read for a batch of replies, and what each of them did to it. */
  private static final class Applied {
    final SagaSnapshot loaded;
    final List<InboundMessage<Object>> replies;
    final List<Step> steps = new ArrayList<>();

    Applied(SagaSnapshot loaded, List<InboundMessage<Object>> replies) {
      this.loaded = loaded;
      this.replies = replies;
    }
  }

  private record Step(SagaStatus before, Transition transition, Envelope cause) {}

  /** Handles a participant's reply; called by the replies consumer inside its inbox transaction. */
  public void onReply(InboundMessage<Object> reply) {
    UUID id = sagaIdOf(reply);
    if (id == null) {
      return;
    }
    String sagaId = id.toString();
    for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      Optional<SagaSnapshot> found = store.find(id);
      if (found.isEmpty()) {
        log.warn("reply {} names unknown saga {}; ignored", reply.envelope().id(), sagaId);
        return;
      }
      SagaSnapshot s = found.get();
      SagaDefinition<?> def = definitions.get(s.type());
      if (def == null) {
        log.warn("saga {} has unknown type {}; reply ignored", s.id(), s.type());
        return;
      }
      Optional<Transition> t =
          transitions.onReply(
              def, s, reply.envelope().causationId(), reply.payload(), clock.instant());
      if (t.isEmpty()) {
        return;
      }
      if (store.update(t.get().state(), s.version())) {
        flush(s.status(), t.get());
        return;
      }
      conflicts.increment();
    }
    throw new ConcurrencyFailureException(
        "saga " + sagaId + " kept changing under reply " + reply.envelope().id());
  }

  /**
   * Fires every expired deadline, each on exactly one instance.
   *
   * @return how many sagas were handled
   */
  public int fireDeadlines(int limit) {
    Integer handled =
        tx.execute(
            status -> {
              int n = 0;
              for (UUID id : store.lockDue(clock.instant(), limit)) {
                Optional<SagaSnapshot> found = store.find(id);
                if (found.isEmpty()) {
                  continue;
                }
                SagaSnapshot s = found.get();
                SagaDefinition<?> def = definitions.get(s.type());
                if (def == null) {
                  log.warn("saga {} has unknown type {}; its deadline is cleared", id, s.type());
                  store.update(withoutDeadline(s), s.version());
                  continue;
                }
                Transition t = transitions.onDeadline(def, s, clock.instant());
                if (!store.update(t.state(), s.version())) {
                  throw new ConcurrencyFailureException("saga " + id + " changed while locked");
                }
                flush(s.status(), t);
                n++;
              }
              return n;
            });
    return handled == null ? 0 : handled;
  }

  /** The saga with its history, for UIs. */
  public Optional<SagaView> find(UUID id) {
    return store
        .find(id)
        .map(
            s -> {
              SagaDefinition<?> d = definitions.get(s.type());
              String stepName =
                  d != null && s.step() < d.steps().size() ? d.step(s.step()).name() : null;
              return new SagaView(
                  s.id(),
                  s.type(),
                  s.status(),
                  s.step(),
                  stepName,
                  s.attempts(),
                  s.data(),
                  s.failureReason(),
                  s.deadline(),
                  s.createdAt(),
                  s.updatedAt(),
                  s.finishedAt(),
                  store.history(s.id()));
            });
  }

  /** The saga's data, read as the definition's type. */
  public <D> Optional<D> data(UUID id, SagaDefinition<D> definition) {
    return store.find(id).map(s -> json.readValue(s.data(), definition.dataType()));
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private static UUID sagaIdOf(InboundMessage<Object> reply) {
    String sagaId = reply.envelope().sagaId();
    if (sagaId == null) {
      log.warn("reply {} carries no saga id; ignored", reply.envelope().id());
      return null;
    }
    try {
      return UUID.fromString(sagaId);
    } catch (IllegalArgumentException e) {
      log.warn("reply {} carries a malformed saga id {}; ignored", reply.envelope().id(), sagaId);
      return null;
    }
  }

  /** Records what a stored transition decided, and hands its messages to the outbox. */
  private void flush(SagaStatus before, Transition t) {
    store.appendHistory(Map.of(t.state().id(), t.history()));
    send(before, t);
  }

  /**
   * Hands a stored transition's messages to the outbox, tells the listeners, and counts a saga that
   * ended.
   */
  private void send(SagaStatus before, Transition t) {
    SagaSnapshot s = t.state();
    if (!listeners.isEmpty()) {
      SagaDefinition<?> def = definitions.get(s.type());
      for (SagaListener listener : listeners) {
        listener.transitioned(def, before, t);
      }
    }
    if (s.status().isTerminal() && !before.isTerminal()) {
      meters
          .counter("easel.saga.finished", "type", s.type(), "status", s.status().name())
          .increment();
      Timer.builder("easel.saga.duration")
          .tag("type", s.type())
          .tag("status", s.status().name())
          .register(meters)
          .record(Duration.between(s.createdAt(), s.finishedAt()));
    }
    List<OutboundMessage> out = new ArrayList<>(t.events().size() + t.commands().size());
    String sagaId = s.id().toString();
    for (Object event : t.events()) {
      out.add(
          new OutboundMessage(
              Topics.events(context),
              sagaId,
              event,
              sagaId,
              null,
              null,
              s.correlationId(),
              null,
              s.actor(),
              null,
              s.traceparent()));
    }
    for (Transition.Command c : t.commands()) {
      out.add(
          new OutboundMessage(
              Topics.commands(c.command().context()),
              c.command().key(),
              c.command().command(),
              sagaId,
              c.requestId(),
              Topics.replies(context),
              s.correlationId(),
              null,
              s.actor(),
              c.messageId(),
              s.traceparent()));
    }
    outbox.appendAll(out);
  }

  private static SagaSnapshot withoutDeadline(SagaSnapshot s) {
    return new SagaSnapshot(
        s.id(),
        s.type(),
        s.status(),
        s.step(),
        s.attempts(),
        s.data(),
        s.pending(),
        s.compensations(),
        s.version(),
        null,
        s.failureReason(),
        s.correlationId(),
        s.actor(),
        s.traceparent(),
        s.createdAt(),
        s.updatedAt(),
        s.finishedAt());
  }
}
