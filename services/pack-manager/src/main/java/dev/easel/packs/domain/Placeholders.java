package dev.easel.packs.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds and fills the template expressions of pack values and manifests.
 *
 * <p>Three sources are understood, each optionally followed by {@code | default "text"}:
 *
 * <ul>
 *   <li>{@code {{.spectro.var.NAME}}}: a profile variable;
 *   <li>{@code {{.spectro.pack.PACK.dotted.path}}}: a value of another pack of the profile, empty
 *       when undefined;
 *   <li>{@code {{.spectro.system.key}}}: a system macro such as {@code cluster.kubevip}.
 * </ul>
 *
 * <p>Anything else (other Sprig functions, {@code .Values}, trim markers, system macros not given)
 * is left exactly as written for the renderer that runs at deployment. A filled-in value is never
 * scanned again, so a variable whose value looks like an expression stays text.
 */
public final class Placeholders {

  /** A Go template action; DOTALL because Go lets an action span lines. */
  private static final Pattern EXPRESSION = Pattern.compile("\\{\\{(.*?)\\}\\}", Pattern.DOTALL);

  private static final Pattern VARIABLE =
      Pattern.compile("\\.spectro\\.var\\.([A-Za-z_][A-Za-z0-9_]*)");

  private static final Pattern SOURCE =
      Pattern.compile(
          "\\.spectro\\.(?:var\\.([A-Za-z_][A-Za-z0-9_]*)"
              + "|pack\\.([A-Za-z0-9][A-Za-z0-9_.\\-]*)"
              + "|system\\.([A-Za-z0-9_][A-Za-z0-9_.\\-]*))");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Placeholders() {}

  /** Whether the text holds a template expression at all. */
  public static boolean hasExpression(String text) {
    return text != null && text.contains("{{") && EXPRESSION.matcher(text).find();
  }

  /**
   * The names of the profile variables the text refers to, in order of first use. A reference
   * counts wherever it stands inside an expression, also as an argument of a function the
   * deploy-time renderer applies ({@code {{ htpasswd "admin" .spectro.var.password }}}).
   */
  public static Set<String> variablesIn(String text) {
    if (text == null || !text.contains("{{")) {
      return Set.of();
    }
    Set<String> names = new LinkedHashSet<>();
    Matcher expression = EXPRESSION.matcher(text);
    while (expression.find()) {
      Matcher variable = VARIABLE.matcher(expression.group(1));
      while (variable.find()) {
        names.add(variable.group(1));
      }
    }
    return Collections.unmodifiableSet(names);
  }

  /**
   * The text with every expression it fully understands filled in.
   *
   * @param variable a variable's value by name; empty leaves the expression as written
   * @param packRef a pack value by {@code PACK.dotted.path} (the text after {@code
   *     .spectro.pack.}); empty means undefined, which fills in the default or an empty string. A
   *     null function leaves pack references as written
   * @param system system macro values by key ({@code cluster.kubevip}); a key not in the map is
   *     left as written. May be null
   */
  public static String substitute(
      String text,
      Function<String, Optional<String>> variable,
      Function<String, Optional<String>> packRef,
      Map<String, String> system) {
    if (text == null || !text.contains("{{")) {
      return text;
    }
    Matcher m = EXPRESSION.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    while (m.find()) {
      out.append(text, last, m.start());
      Optional<String> value = evaluate(m.group(1), variable, packRef, system);
      out.append(value.isPresent() ? value.get() : m.group());
      last = m.end();
    }
    out.append(text, last, text.length());
    return out.toString();
  }

  /**
   * A copy of the tree with {@link #substitute} applied to every string scalar. Working on the
   * parsed tree instead of the YAML text means a value holding quotes, colons or new lines can
   * never break the document. Keys are left alone.
   */
  public static JsonNode substituteTree(
      JsonNode tree,
      Function<String, Optional<String>> variable,
      Function<String, Optional<String>> packRef,
      Map<String, String> system) {
    if (tree == null) {
      return null;
    }
    if (tree.isObject()) {
      ObjectNode out = NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : tree.properties()) {
        out.set(e.getKey(), substituteTree(e.getValue(), variable, packRef, system));
      }
      return out;
    }
    if (tree.isArray()) {
      ArrayNode out = NODES.arrayNode(tree.size());
      for (JsonNode element : tree.values()) {
        out.add(substituteTree(element, variable, packRef, system));
      }
      return out;
    }
    if (tree.isString() && tree.stringValue().contains("{{")) {
      return NODES.stringNode(substitute(tree.stringValue(), variable, packRef, system));
    }
    return tree.deepCopy();
  }

  /** The value of one expression, or empty when it is not one this class fills in. */
  private static Optional<String> evaluate(
      String inner,
      Function<String, Optional<String>> variable,
      Function<String, Optional<String>> packRef,
      Map<String, String> system) {
    String body = inner.strip();
    // Trim markers ({{- and -}}) change the surrounding whitespace: leave those to Go templates.
    if (body.isEmpty() || inner.startsWith("-") || inner.endsWith("-")) {
      return Optional.empty();
    }
    Optional<List<List<String>>> pipeline = pipeline(body);
    if (pipeline.isEmpty() || pipeline.get().isEmpty()) {
      return Optional.empty();
    }
    List<List<String>> commands = pipeline.get();
    List<String> head = commands.get(0);
    if (head.size() != 1) {
      return Optional.empty();
    }
    Matcher source = SOURCE.matcher(head.get(0));
    if (!source.matches()) {
      return Optional.empty();
    }
    List<String> defaults = new ArrayList<>();
    for (List<String> command : commands.subList(1, commands.size())) {
      if (command.size() != 2 || !command.get(0).equals("default")) {
        return Optional.empty();
      }
      Optional<String> literal = unquote(command.get(1));
      if (literal.isEmpty()) {
        return Optional.empty();
      }
      defaults.add(literal.get());
    }
    Optional<String> value;
    if (source.group(1) != null) {
      value = variable == null ? Optional.empty() : variable.apply(source.group(1));
    } else if (source.group(2) != null) {
      if (packRef == null || source.group(2).endsWith(".")) {
        return Optional.empty();
      }
      value = Optional.of(packRef.apply(source.group(2)).orElse(""));
    } else {
      if (system == null || !system.containsKey(source.group(3))) {
        return Optional.empty();
      }
      value = Optional.of(Optional.ofNullable(system.get(source.group(3))).orElse(""));
    }
    if (value.isEmpty()) {
      return value;
    }
    String result = value.get();
    for (String d : defaults) {
      // Sprig's default replaces any empty value, not only an undefined one.
      if (result.isEmpty()) {
        result = d;
      }
    }
    return Optional.of(result);
  }

  /**
   * An action split into commands at {@code |} and each command into words, outside quoted strings.
   * Empty when quotes do not close or a command is empty.
   */
  static Optional<List<List<String>>> pipeline(String body) {
    List<List<String>> commands = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == '"' || c == '`') {
        int end = closingQuote(body, i);
        if (end < 0) {
          return Optional.empty();
        }
        word.append(body, i, end + 1);
        i = end + 1;
        continue;
      }
      if (c == '|' || Character.isWhitespace(c)) {
        if (word.length() > 0) {
          words.add(word.toString());
          word.setLength(0);
        }
        if (c == '|') {
          if (words.isEmpty()) {
            return Optional.empty();
          }
          commands.add(words);
          words = new ArrayList<>();
        }
        i++;
        continue;
      }
      word.append(c);
      i++;
    }
    if (word.length() > 0) {
      words.add(word.toString());
    }
    if (words.isEmpty()) {
      return Optional.empty();
    }
    commands.add(words);
    return Optional.of(commands);
  }

  private static int closingQuote(String s, int open) {
    char q = s.charAt(open);
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (q == '"' && c == '\\') {
        i++;
      } else if (c == q) {
        return i;
      }
    }
    return -1;
  }

  /** The text of a Go string literal, double-quoted or raw; empty when the word is not one. */
  static Optional<String> unquote(String word) {
    if (word.length() < 2) {
      return Optional.empty();
    }
    char q = word.charAt(0);
    if ((q != '"' && q != '`') || word.charAt(word.length() - 1) != q) {
      return Optional.empty();
    }
    String body = word.substring(1, word.length() - 1);
    if (q == '`') {
      return Optional.of(body);
    }
    StringBuilder out = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\\' || i + 1 == body.length()) {
        out.append(c);
        continue;
      }
      char n = body.charAt(++i);
      switch (n) {
        case 'n':
          out.append('\n');
          break;
        case 't':
          out.append('\t');
          break;
        case 'r':
          out.append('\r');
          break;
        case '"':
        case '\\':
          out.append(n);
          break;
        default:
          // Keep unknown escapes as written, so regular expressions such as \d survive.
          out.append('\\').append(n);
      }
    }
    return Optional.of(out.toString());
  }
}
