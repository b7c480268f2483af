package dev.easel.packs.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Defensive copies for request records. Unlike {@link List#copyOf}, null elements survive, so a
 * malformed request reaches validation and is reported field by field instead of failing with a
 * {@link NullPointerException} while it is being built.
 */
final class Copies {

  private Copies() {}

  static <T> List<T> list(List<T> source) {
    if (source == null || source.isEmpty()) {
      return List.of();
    }
    return Collections.unmodifiableList(new ArrayList<>(source));
  }
}
