package dev.easel.common.envelope;

import java.util.Optional;

/**
 * Who asked for the work on this thread when no message is being handled: the operator behind the
 * HTTP request being served, say. What is emitted then carries them as its {@code actor}, as what a
 * handler emits carries the actor of the {@link MessageContext message} it handles.
 */
@FunctionalInterface
public interface Requester {

  /** Nobody: what is emitted without a cause has no actor. */
  Requester NONE = Optional::empty;

  Optional<String> current();
}
