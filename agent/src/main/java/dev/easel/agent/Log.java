package dev.easel.agent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One line per event on stderr, with a UTC timestamp; stdout is kept for command output. */
public final class Log {

  private Log() {}

  public static void info(String message) {
    System.err.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + message);
  }

  public static void warn(String message) {
    System.err.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " WARN " + message);
  }
}
