package dev.easel.common.inbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The handlers of one consumer, by contract record. Unknown types are ignored, as contracted. */
public final class Handlers {

  private final Map<Class<?>, MessageHandler<?>> byType = new LinkedHashMap<>();
  private MessageHandler<Object> fallback;

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

  @SuppressWarnings("unchecked")
  Optional<MessageHandler<Object>> find(Class<?> type) {
    MessageHandler<?> h = byType.get(type);
    if (h != null) {
      return Optional.of((MessageHandler<Object>) h);
    }
    return Optional.ofNullable(fallback);
  }
}
