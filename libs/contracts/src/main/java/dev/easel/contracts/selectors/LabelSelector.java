package dev.easel.contracts.selectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A label selector, in the Kubernetes syntax plus numeric comparisons: requirements separated by
 * commas, all of which must hold.
 *
 * <pre>
 * k=v  k==v  k!=v  k in (a,b)  k notin (a,b)  k  !k  k&gt;=n  k&gt;n  k&lt;=n  k&lt;n
 * </pre>
 *
 * <p>Numeric comparisons hold only for labels whose value is a number, such as {@code
 * easel.dev/cores} or {@code easel.dev/memory-gib}. {@code !=} and {@code notin} hold for nodes
 * without the label, as in Kubernetes.
 */
public final class LabelSelector {

  private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), "");

  private final List<Requirement> requirements;
  private final String text;

  private LabelSelector(List<Requirement> requirements, String text) {
    this.requirements = List.copyOf(requirements);
    this.text = text;
  }

  /** The selector that matches every node. */
  public static LabelSelector everything() {
    return EVERYTHING;
  }

  /**
   * Parses a selector.
   *
   * @throws InvalidSelectorException naming the position and what was expected
   */
  public static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    if (text.length() > 4096) {
      throw new InvalidSelectorException("a selector is at most 4096 characters", 4096);
    }
    return new LabelSelector(new Parser(text).requirements(), text.strip());
  }

  public boolean matches(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  @Override
  public String toString() {
    return text;
  }

  /** One requirement on one label. */
  public record Requirement(String key, Operator operator, Set<String> values, double number) {

    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case EXISTS -> v != null;
        case NOT_EXISTS -> v == null;
        case EQUALS -> v != null && values.contains(v);
        case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
        case IN -> v != null && values.contains(v);
        case GREATER_OR_EQUAL -> numeric(v) && Double.parseDouble(v) >= number;
        case GREATER -> numeric(v) && Double.parseDouble(v) > number;
        case LESS_OR_EQUAL -> numeric(v) && Double.parseDouble(v) <= number;
        case LESS -> numeric(v) && Double.parseDouble(v) < number;
      };
    }

    private static boolean numeric(String v) {
      return v != null && v.matches("-?\\d+(\\.\\d+)?");
    }
  }

  /** What a requirement asks of its label. */
  public enum Operator {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    NOT_EXISTS,
    GREATER_OR_EQUAL,
    GREATER,
    LESS_OR_EQUAL,
    LESS
  }

  /** A hand-written recursive-descent parser; errors carry the offending position. */
  private static final class Parser {

    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    List<Requirement> requirements() {
      List<Requirement> out = new ArrayList<>();
      do {
        skipSpaces();
        out.add(requirement());
        skipSpaces();
      } while (accept(','));
      if (pos < s.length()) {
        throw error("expected ',' or the end of the selector");
      }
      return out;
    }

    private Requirement requirement() {
      if (accept('!')) {
        skipSpaces();
        return new Requirement(key(), Operator.NOT_EXISTS, Set.of(), 0);
      }
      String key = key();
      skipSpaces();
      if (pos >= s.length() || s.charAt(pos) == ',') {
        return new Requirement(key, Operator.EXISTS, Set.of(), 0);
      }
      if (accept("==") || accept('=')) {
        return new Requirement(key, Operator.EQUALS, Set.of(value()), 0);
      }
      if (accept("!=")) {
        return new Requirement(key, Operator.NOT_EQUALS, Set.of(value()), 0);
      }
      if (accept(">=")) {
        return new Requirement(key, Operator.GREATER_OR_EQUAL, Set.of(), number());
      }
      if (accept("<=")) {
        return new Requirement(key, Operator.LESS_OR_EQUAL, Set.of(), number());
      }
      if (accept('>')) {
        return new Requirement(key, Operator.GREATER, Set.of(), number());
      }
      if (accept('<')) {
        return new Requirement(key, Operator.LESS, Set.of(), number());
      }
      if (acceptWord("notin")) {
        return new Requirement(key, Operator.NOT_IN, set(), 0);
      }
      if (acceptWord("in")) {
        return new Requirement(key, Operator.IN, set(), 0);
      }
      throw error("expected an operator (=, !=, in, notin, >=, >, <=, <) after '" + key + "'");
    }

    private Set<String> set() {
      skipSpaces();
      if (!accept('(')) {
        throw error("expected '(' to open a set of values");
      }
      List<String> values = new ArrayList<>();
      do {
        skipSpaces();
        values.add(value());
        skipSpaces();
      } while (accept(','));
      if (!accept(')')) {
        throw error("expected ')' to close the set of values");
      }
      return Set.copyOf(values);
    }

    private String key() {
      int start = pos;
      while (pos < s.length() && isKeyChar(s.charAt(pos))) {
        pos++;
      }
      String key = s.substring(start, pos);
      if (key.isEmpty()) {
        throw error("expected a label key");
      }
      if (key.length() > 316
          || !key.matches("([a-z0-9.-]+/)?[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?")) {
        throw new InvalidSelectorException("'" + key + "' is not a valid label key", start);
      }
      return key;
    }

    private String value() {
      skipSpaces();
      int start = pos;
      while (pos < s.length() && isValueChar(s.charAt(pos))) {
        pos++;
      }
      String value = s.substring(start, pos);
      if (value.length() > 63) {
        throw new InvalidSelectorException("a label value is at most 63 characters", start);
      }
      return value;
    }

    private double number() {
      skipSpaces();
      int start = pos;
      String v = value();
      if (!v.matches("-?\\d+(\\.\\d+)?")) {
        throw new InvalidSelectorException("expected a number, found '" + v + "'", start);
      }
      return Double.parseDouble(v);
    }

    private boolean acceptWord(String word) {
      if (s.startsWith(word, pos)
          && (pos + word.length() == s.length() || !isKeyChar(s.charAt(pos + word.length())))) {
        pos += word.length();
        return true;
      }
      return false;
    }

    private boolean accept(String token) {
      if (s.startsWith(token, pos)) {
        pos += token.length();
        return true;
      }
      return false;
    }

    private boolean accept(char c) {
      if (pos < s.length() && s.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    private void skipSpaces() {
      while (pos < s.length() && s.charAt(pos) == ' ') {
        pos++;
      }
    }

    private static boolean isKeyChar(char c) {
      return Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '/';
    }

    private static boolean isValueChar(char c) {
      return Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_';
    }

    private InvalidSelectorException error(String message) {
      return new InvalidSelectorException(message, pos);
    }
  }
}
