package dev.easel.agent;

import java.util.concurrent.ThreadFactory;

/** Threads that never keep the agent's JVM alive on their own. */
public final class Daemons {

  private Daemons() {}

  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
