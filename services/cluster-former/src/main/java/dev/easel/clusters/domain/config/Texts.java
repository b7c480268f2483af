package dev.easel.clusters.domain.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Small helpers for messages and for copying input that may hold nulls. */
final class Texts {

  /** Longer input is cut in messages, so that a pasted file does not come back in an error. */
  private static final int MAX_QUOTED = 80;

  private Texts() {}

  /** The text in single quotes, cut to a readable length. */
  static String quote(String text) {
    if (text == null) {
      return "null";
    }
    String shown = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
    return "'" + shown + "'";
  }

  static boolean blank(String text) {
    return text == null || text.isBlank();
  }

  /**
   * An unmodifiable copy that keeps null elements, unlike {@link List#copyOf}, so that a validator
   * can report a null entry at its index instead of failing on it.
   */
  static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
  }
}
