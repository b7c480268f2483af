package dev.easel.common.inbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The handlers of one consumer, by contract record. Unknown types are ignored, as contracted. */
public final class Handlers {

  private final Map<Class<?>, MessageHandler<?>> byType = new LinkedHashMap<>();
  private MessageHandler<Object> fallback;
  private java.util.function.Consumer<java.util.List<InboundMessage<Object>>> batch;

  /** Handles a contract record. */
  public <T> Handlers on(Class<T> type, MessageHandler<T> handler) {
    byType.put(type, handler);
    return this;
  }

  /** Handles every registered type not named by {@link #on}. */
  public Handlers onAnyOther(MessageHandler<Object> handler) {
    this.fallback = handler;
    return this;
  }

  /**
   * Handles every registered type, all the fresh records of a batch in one call, in order: for a
   * handler that does better with many records at once than one at a time. It sets the {@link
   * dev.easel.common.envelope.MessageContext} of each record itself while it works on it.
   */
  public Handlers onBatch(
      java.util.function.Consumer<java.util.List<InboundMessage<Object>>> handler) {
    this.batch = handler;
    return this;
  }

  java.util.function.Consumer<java.util.List<InboundMessage<Object>>> batch() {
    return batch;
  }

  @SuppressWarnings("unchecked")
  Optional<MessageHandler<Object>> find(Class<?> type) {
    if (batch != null) {
      return Optional.of(m -> batch.accept(java.util.List.of(m)));
    }
    MessageHandler<?> h = byType.get(type);
    if (h != null) {
      return Optional.of((MessageHandler<Object>) h);
    }
    return Optional.ofNullable(fallback);
  }
}
