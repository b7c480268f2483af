package dev.easel.common.envelope;

import java.util.Optional;

/**
 * The message being handled on this thread. What a handler emits inherits its correlation id, actor
 * and trace, and names it as the cause; no handler has to pass them along by hand.
 */
public final class MessageContext {

  private static final ThreadLocal<Envelope> CURRENT = new ThreadLocal<>();

  private MessageContext() {}

  public static Optional<Envelope> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** Runs the body with the given message as the current one, restoring the previous after. */
  public static void runWith(Envelope envelope, Runnable body) {
    Envelope previous = CURRENT.get();
    CURRENT.set(envelope);
    try {
      body.run();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}
