package dev.easel.contracts;

/**
 * Topic names. Events go on {@code easel.<context>.events} keyed by aggregate id, which keeps
 * per-aggregate order; commands and replies have topics of their own so that a slow participant
 * never holds up the event stream. Dead letters go to {@code <topic>.dlq}.
 */
public final class Topics {

  private Topics() {}

  public static String events(String context) {
    return "easel." + context + ".events";
  }

  public static String commands(String context) {
    return "easel." + context + ".commands";
  }

  public static String replies(String context) {
    return "easel." + context + ".replies";
  }

  public static String deadLetters(String topic) {
    return topic + ".dlq";
  }

  /** The topic a contract of this kind travels on, for the context that owns it. */
  public static String forKind(Contract.Kind kind, String context) {
    return switch (kind) {
      case EVENT -> events(context);
      case COMMAND -> commands(context);
      case REPLY -> replies(context);
    };
  }
}
