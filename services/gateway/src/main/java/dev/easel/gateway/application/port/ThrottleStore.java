package dev.easel.gateway.application.port;

import dev.easel.gateway.domain.LoginBackoff.Attempts;

/** Failed sign-ins, per user and per address, shared by every gateway instance. */
public interface ThrottleStore {

  enum Kind {
    USER,
    ADDRESS
  }

  /** The attempts so far, locking the row for the rest of the transaction. */
  Attempts lockAndGet(Kind kind, String key);

  Attempts get(Kind kind, String key);

  void put(Kind kind, String key, Attempts attempts);

  void clear(Kind kind, String key);
}
