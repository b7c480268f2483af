package dev.easel.common.inbox;

/** Handles one decoded message inside the inbox transaction. */
@FunctionalInterface
public interface MessageHandler<T> {

  void handle(InboundMessage<T> message);
}
