package dev.easel.packs.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A pack's schema.yaml: constraints on the values a profile may give the pack.
 *
 * <p>Each key is a dotted path into the values ({@code charts.zot.service.nodePort}); {@code $[]}
 * stands for every element of a list ({@code kairos.users.$[].name}, {@code a.b.$[]}). Each value
 * is a mapping whose {@code schema} is a template such as {@code {{ required | format
 * "${ipv4}/${number:[8-28]}" | hints "Pod CIDR" }}}, made of these functions:
 *
 * <ul>
 *   <li>{@code required}: the value is present, not null and not an empty string;
 *   <li>{@code readonly}: the value stays the pack's default;
 *   <li>{@code format "<fmt>"}: the value's text matches the format;
 *   <li>{@code hints "text" ...}: help shown to people, never checked.
 * </ul>
 *
 * <p>A format is literal text mixed with placeholders {@code ${TYPE}}, {@code ${TYPE:/REGEX/}},
 * {@code ${number:[MIN-MAX]}} (inclusive, decimals allowed) and {@code ${list:[A,B,C]}}, where TYPE
 * is string, number, boolean, password, list, ipv4, ipv4cidr, ipv6 or version. A format compiles to
 * one anchored {@link Pattern}, literal text quoted, so {@code ${ipv4} - ${ipv4}} accepts {@code
 * 10.10.10.10 - 10.10.10.255}. A {@code ^} opening or a {@code $} closing an embedded regex is
 * dropped, as the whole format is anchored anyway.
 *
 * <p>Palette evaluates these regexes with Go's RE2; Easel uses {@link Pattern}. Java accepts more
 * (backreferences, lookaround, possessive quantifiers, {@code \Z}), and RE2 spells named groups
 * {@code (?P<name>...)}, which Java refuses. Packs meant for both should keep to the common subset.
 * Matches run under a budget (see {@link Regexes}), since Java's engine backtracks and RE2's does
 * not.
 *
 * <p>A value holding a template expression ({@code {{ ... }}}) is exempt from format checks: it is
 * resolved later, and checked again then.
 */
public final class ValuesSchema {

  /** The schema of a pack without schema.yaml. */
  public static final ValuesSchema EMPTY = new ValuesSchema(List.of());

  private static final String EVERY = "$[]";

  private static final int CACHE_SIZE = 256;

  /** Parsed schemas by pack digest; a profile uses each pack version over and over. */
  private static final Map<CacheKey, Object> CACHE =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<CacheKey, Object> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  private static final Pattern RANGE =
      Pattern.compile("\\s*(-?[0-9]+(?:\\.[0-9]+)?)\\s*-\\s*(-?[0-9]+(?:\\.[0-9]+)?)\\s*");

  private final List<Compiled> compiled;

  private ValuesSchema(List<Compiled> compiled) {
    this.compiled = List.copyOf(compiled);
  }

  /**
   * One constraint, for display.
   *
   * @param path the dotted path as written in schema.yaml
   * @param format the format text as written, or null
   */
  public record Rule(
      String path, boolean required, boolean readonly, String format, List<String> hints) {
    public Rule {
      hints = List.copyOf(hints);
    }
  }

  /**
   * Reads a schema.yaml.
   *
   * @throws IllegalArgumentException when the file is not a YAML mapping, an entry is not a mapping
   *     with a {@code schema} template, or a template is malformed, uses an unknown function or
   *     format type, or holds a regex that does not compile; the message names the key
   */
  public static ValuesSchema parse(String yaml) {
    JsonNode root;
    try {
      root = Yaml.parseMapping(yaml);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("schema.yaml is not a YAML mapping: " + e.getMessage(), e);
    }
    List<Compiled> rules = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      rules.add(compile(e.getKey(), e.getValue()));
    }
    return new ValuesSchema(rules);
  }

  /**
   * {@link #parse}, remembered by digest in a small LRU cache shared by all threads. A failure is
   * remembered too and thrown again. Without a digest the text alone is the key.
   */
  public static ValuesSchema cached(String digest, String yaml) {
    if (yaml == null || yaml.isBlank()) {
      return EMPTY;
    }
    CacheKey key = new CacheKey(digest, yaml);
    Object hit;
    synchronized (CACHE) {
      hit = CACHE.get(key);
    }
    if (hit == null) {
      try {
        hit = parse(yaml);
      } catch (IllegalArgumentException e) {
        hit = e.getMessage();
      }
      synchronized (CACHE) {
        CACHE.put(key, hit);
      }
    }
    if (hit instanceof ValuesSchema) {
      return (ValuesSchema) hit;
    }
    throw new IllegalArgumentException((String) hit);
  }

  /** The text is compared as well, so two packs that wrongly share a digest never mix. */
  private record CacheKey(String digest, String yaml) {}

  public List<Rule> rules() {
    return compiled.stream().map(Compiled::rule).toList();
  }

  public boolean isEmpty() {
    return compiled.isEmpty();
  }

  /**
   * Every way the merged values break a rule.
   *
   * @param defaults the pack's own values, against which {@code readonly} compares
   * @param merged the values in force: the defaults with the profile's overrides merged over them
   * @param fieldPrefix prepended to each value path in the problems, such as {@code
   *     layers[2].values}; may be null or empty
   */
  public List<FieldProblem> check(JsonNode defaults, JsonNode merged, String fieldPrefix) {
    List<FieldProblem> problems = new ArrayList<>();
    String prefix = fieldPrefix == null || fieldPrefix.isEmpty() ? "" : fieldPrefix + ".";
    for (Compiled c : compiled) {
      List<Found> found = new ArrayList<>();
      expand(merged, c, 0, "", found);
      for (Found f : found) {
        if (f.expected() != null) {
          problems.add(
              new FieldProblem(
                  prefix + f.path(),
                  "schema-format",
                  "expected " + f.expected() + " here for the rule on " + c.rule().path()));
        }
      }
      if (c.rule().required()) {
        checkRequired(c, found, prefix, problems);
      }
      if (c.format() != null) {
        for (Found f : found) {
          if (f.expected() == null && !absent(f.node())) {
            checkFormat(c, f.node(), prefix + f.path(), problems);
          }
        }
      }
      if (c.rule().readonly()) {
        checkReadonly(c, defaults, found, prefix, problems);
      }
    }
    return problems;
  }

  private static void checkRequired(
      Compiled c, List<Found> found, String prefix, List<FieldProblem> problems) {
    if (found.isEmpty()) {
      problems.add(
          new FieldProblem(
              prefix + render(c.path(), 0, ""),
              "schema-required",
              "at least one value is required" + hintSuffix(c.rule())));
      return;
    }
    for (Found f : found) {
      if (f.expected() == null && absent(f.node())) {
        problems.add(
            new FieldProblem(
                prefix + f.path(),
                "schema-required",
                "a value is required" + hintSuffix(c.rule())));
      }
    }
  }

  private static void checkFormat(
      Compiled c, JsonNode node, String field, List<FieldProblem> problems) {
    if (node.isObject()) {
      problems.add(
          new FieldProblem(
              field,
              "schema-format",
              "expected a single value of format " + c.rule().format() + ", found a mapping"));
      return;
    }
    if (node.isArray()) {
      // A list where a single value is described: every element has to fit (a multi-select).
      for (int i = 0; i < node.size(); i++) {
        JsonNode element = node.get(i);
        if (element.isContainer()) {
          problems.add(
              new FieldProblem(
                  field + "[" + i + "]",
                  "schema-format",
                  "expected a single value of format " + c.rule().format()));
        } else if (!absent(element)) {
          checkFormat(c, element, field + "[" + i + "]", problems);
        }
      }
      return;
    }
    String text = node.asString();
    if (text.isEmpty() || Placeholders.hasExpression(text)) {
      return;
    }
    Optional<String> why = c.format().reject(text);
    if (why.isPresent()) {
      String shown = c.format().masked() ? "the value" : "'" + shorten(text) + "'";
      problems.add(
          new FieldProblem(
              field,
              "schema-format",
              shown
                  + " does not have the format "
                  + c.rule().format()
                  + why.get()
                  + hintSuffix(c.rule())));
    }
  }

  private static void checkReadonly(
      Compiled c,
      JsonNode defaults,
      List<Found> inMerged,
      String prefix,
      List<FieldProblem> problems) {
    List<Found> inDefaults = new ArrayList<>();
    expand(defaults == null ? MissingNode.getInstance() : defaults, c, 0, "", inDefaults);
    Map<String, JsonNode> before = new LinkedHashMap<>();
    for (Found f : inDefaults) {
      before.put(f.path(), f.node());
    }
    Map<String, JsonNode> after = new LinkedHashMap<>();
    for (Found f : inMerged) {
      after.put(f.path(), f.node());
    }
    List<String> paths = new ArrayList<>(after.keySet());
    for (String p : before.keySet()) {
      if (!after.containsKey(p)) {
        paths.add(p);
      }
    }
    for (String p : paths) {
      JsonNode was = before.getOrDefault(p, MissingNode.getInstance());
      JsonNode is = after.getOrDefault(p, MissingNode.getInstance());
      if (!same(was, is)) {
        String keep =
            absent(was)
                ? "leave it unset"
                : was.isValueNode() && !(c.format() != null && c.format().masked())
                    ? "keep the pack's value '" + shorten(was.asString()) + "'"
                    : "keep the pack's value";
        problems.add(
            new FieldProblem(prefix + p, "schema-readonly", "the value is read-only: " + keep));
      }
    }
  }

  /** Equal as values: absent and null alike, scalars by their text, containers member-wise. */
  static boolean same(JsonNode a, JsonNode b) {
    if (absent(a) || absent(b)) {
      return absent(a) && absent(b);
    }
    if (a.isValueNode() && b.isValueNode()) {
      return a.asString().equals(b.asString());
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        JsonNode other = b.get(e.getKey());
        if (other == null || !same(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** Missing, null or the empty string: what {@code required} refuses. */
  private static boolean absent(JsonNode n) {
    return n == null
        || n.isMissingNode()
        || n.isNull()
        || (n.isString() && n.stringValue().isEmpty());
  }

  /**
   * The values at a rule's path. A step into something absent yields one absent value at the full
   * path (with {@code []} for unexpanded elements); a step into something of the wrong shape yields
   * a value marked with what was expected; an empty list yields nothing.
   */
  private static void expand(JsonNode node, Compiled c, int i, String path, List<Found> out) {
    List<String> segments = c.path();
    if (i == segments.size()) {
      out.add(new Found(path, node, null));
      return;
    }
    String segment = segments.get(i);
    if (node == null || node.isMissingNode() || node.isNull()) {
      out.add(new Found(render(segments, i, path), MissingNode.getInstance(), null));
      return;
    }
    if (segment.equals(EVERY)) {
      if (!node.isArray()) {
        out.add(new Found(path, node, "a list"));
        return;
      }
      for (int k = 0; k < node.size(); k++) {
        expand(node.get(k), c, i + 1, path + "[" + k + "]", out);
      }
      return;
    }
    if (!node.isObject()) {
      out.add(new Found(path, node, "a mapping"));
      return;
    }
    expand(node.path(segment), c, i + 1, join(path, segment), out);
  }

  private static String render(List<String> segments, int from, String path) {
    String out = path;
    for (int i = from; i < segments.size(); i++) {
      String s = segments.get(i);
      out = s.equals(EVERY) ? out + "[]" : join(out, s);
    }
    return out;
  }

  private static String join(String path, String segment) {
    return path.isEmpty() ? segment : path + "." + segment;
  }

  private static String hintSuffix(Rule rule) {
    return rule.hints().isEmpty() ? "" : " (" + String.join(" ", rule.hints()) + ")";
  }

  private static String shorten(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  private record Found(String path, JsonNode node, String expected) {}

  private record Compiled(Rule rule, List<String> path, Format format) {}

  // ---------------------------------------------------------------------------------------------
  // Reading schema.yaml
  // ---------------------------------------------------------------------------------------------

  private static Compiled compile(String key, JsonNode entry) {
    String at = "schema.yaml key '" + key + "': ";
    List<String> path = List.of(key.split("\\.", -1));
    for (String segment : path) {
      if (segment.isBlank()) {
        throw new IllegalArgumentException(at + "the path has an empty segment");
      }
      if (segment.contains("$") && !segment.equals(EVERY)) {
        throw new IllegalArgumentException(
            at + "'" + segment + "' is not a path segment; '$[]' stands for every list element");
      }
    }
    if (entry == null || !entry.isObject()) {
      throw new IllegalArgumentException(at + "expected a mapping with a 'schema' template");
    }
    JsonNode template = entry.get("schema");
    if (template == null || !template.isString()) {
      throw new IllegalArgumentException(at + "'schema' is missing or not a string");
    }
    String text = template.stringValue().strip();
    if (!text.startsWith("{{") || !text.endsWith("}}") || text.length() < 4) {
      throw new IllegalArgumentException(
          at + "'schema' must be a template such as '{{ required | format \"${string}\" }}'");
    }
    String body = text.substring(2, text.length() - 2).strip();
    List<List<String>> commands =
        Placeholders.pipeline(body)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        at + "the template is malformed (an empty command or an open quote)"));
    boolean required = false;
    boolean readonly = false;
    String formatText = null;
    List<String> hints = new ArrayList<>();
    for (List<String> command : commands) {
      String fn = command.get(0);
      List<String> args = new ArrayList<>();
      for (String word : command.subList(1, command.size())) {
        args.add(
            Placeholders.unquote(word)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            at + "argument " + word + " of '" + fn + "' is not a quoted string")));
      }
      switch (fn) {
        case "required":
        case "readonly":
          if (!args.isEmpty()) {
            throw new IllegalArgumentException(at + "'" + fn + "' takes no argument");
          }
          if (fn.equals("required")) {
            required = true;
          } else {
            readonly = true;
          }
          break;
        case "format":
          if (args.size() != 1) {
            throw new IllegalArgumentException(at + "'format' takes exactly one quoted format");
          }
          if (formatText != null) {
            throw new IllegalArgumentException(at + "more than one 'format'");
          }
          formatText = args.get(0);
          break;
        case "hints":
          if (args.isEmpty()) {
            throw new IllegalArgumentException(at + "'hints' needs at least one quoted text");
          }
          hints.addAll(args);
          break;
        default:
          throw new IllegalArgumentException(
              at + "unknown function '" + fn + "'; expected required, readonly, format or hints");
      }
    }
    Format format = formatText == null ? null : Format.compile(formatText, at);
    return new Compiled(new Rule(key, required, readonly, formatText, hints), path, format);
  }

  /** A compiled format: one anchored pattern plus the checks a pattern cannot express. */
  private static final class Format {
    private final Pattern pattern;
    private final List<GroupCheck> checks;
    private final boolean masked;

    private Format(Pattern pattern, List<GroupCheck> checks, boolean masked) {
      this.pattern = pattern;
      this.checks = checks;
      this.masked = masked;
    }

    /** Password formats: never echo the value in a message. */
    boolean masked() {
      return masked;
    }

    /** Empty when the text fits, else a short reason to append to the message. */
    Optional<String> reject(String text) {
      Regexes.Outcome outcome = Regexes.matches(pattern, text);
      if (outcome == Regexes.Outcome.TOO_COMPLEX) {
        return Optional.of(": the check gave up, the pattern is too costly for this value");
      }
      if (outcome == Regexes.Outcome.NO_MATCH) {
        return Optional.of("");
      }
      if (checks.isEmpty()) {
        return Optional.empty();
      }
      // The budgeted match succeeded, so matching again to read the groups costs no more.
      java.util.regex.Matcher m = pattern.matcher(text);
      if (!m.matches()) {
        return Optional.of("");
      }
      for (GroupCheck check : checks) {
        Optional<String> why = check.reject(m.group(check.group()));
        if (why.isPresent()) {
          return why;
        }
      }
      return Optional.empty();
    }

    static Format compile(String format, String at) {
      StringBuilder regex = new StringBuilder();
      List<GroupCheck> checks = new ArrayList<>();
      boolean masked = false;
      int placeholders = 0;
      int i = 0;
      while (i < format.length()) {
        int open = format.indexOf("${", i);
        if (open < 0) {
          regex.append(Pattern.quote(format.substring(i)));
          break;
        }
        if (open > i) {
          regex.append(Pattern.quote(format.substring(i, open)));
        }
        int typeEnd = open + 2;
        while (typeEnd < format.length() && Character.isLetterOrDigit(format.charAt(typeEnd))) {
          typeEnd++;
        }
        String type = format.substring(open + 2, typeEnd);
        if (typeEnd >= format.length()) {
          throw new IllegalArgumentException(at + "placeholder '${" + type + "' does not close");
        }
        String spec = null;
        char kind = 0;
        int next;
        char after = format.charAt(typeEnd);
        if (after == '}') {
          next = typeEnd + 1;
        } else if (after == ':' && typeEnd + 1 < format.length()) {
          kind = format.charAt(typeEnd + 1);
          String closer;
          if (kind == '/') {
            closer = "/}";
          } else if (kind == '[') {
            closer = "]}";
          } else {
            throw new IllegalArgumentException(
                at + "after '${" + type + ":' expected /REGEX/ or [...]");
          }
          int close = format.indexOf(closer, typeEnd + 2);
          if (close < 0) {
            throw new IllegalArgumentException(
                at
                    + "placeholder '${"
                    + type
                    + ":"
                    + kind
                    + "' does not close with '"
                    + closer
                    + "'");
          }
          spec = format.substring(typeEnd + 2, close);
          next = close + 2;
        } else {
          throw new IllegalArgumentException(
              at + "placeholder '${" + type + "' is malformed; expected '}' or ':'");
        }
        String group = "p" + placeholders++;
        regex.append(placeholder(type, kind, spec, group, checks, at));
        masked |= type.equals("password");
        i = next;
      }
      if (placeholders == 0) {
        throw new IllegalArgumentException(
            at + "format '" + format + "' has no ${TYPE} placeholder");
      }
      try {
        return new Format(Pattern.compile(regex.toString()), List.copyOf(checks), masked);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            at + "the format's regex does not compile: " + e.getDescription(), e);
      }
    }

    private static String placeholder(
        String type, char kind, String spec, String group, List<GroupCheck> checks, String at) {
      switch (type) {
        case "string":
        case "password":
          if (spec == null) {
            return "(?:[\\s\\S]*)";
          }
          return "(?:" + regex(type, kind, spec, at) + ")";
        case "number":
          if (spec == null) {
            return "(?:" + TextFormats.NUMBER + ")";
          }
          if (kind == '/') {
            return "(?:" + regex(type, kind, spec, at) + ")";
          }
          java.util.regex.Matcher range = RANGE.matcher(spec);
          if (!range.matches()) {
            throw new IllegalArgumentException(
                at + "'${number:[" + spec + "]}' is not a range such as [1-65535]");
          }
          BigDecimal min = new BigDecimal(range.group(1));
          BigDecimal max = new BigDecimal(range.group(2));
          if (min.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                at + "'${number:[" + spec + "]}': the minimum exceeds the maximum");
          }
          checks.add(new GroupCheck(group, min, max));
          return "(?<" + group + ">" + TextFormats.NUMBER + ")";
        case "list":
          if (spec == null) {
            return "(?:[\\s\\S]*)";
          }
          if (kind != '[') {
            throw new IllegalArgumentException(
                at + "'${list:...}' takes its choices as [A,B,C], not a regex");
          }
          List<String> options = new ArrayList<>();
          for (String o : spec.split(",", -1)) {
            String option = o.strip();
            if (option.isEmpty()) {
              throw new IllegalArgumentException(
                  at + "'${list:[" + spec + "]}' has an empty choice");
            }
            options.add(option);
          }
          // Longer choices first, so "VXLANCrossSubnet" is not cut short at "VXLAN" in a
          // composite format.
          options.sort(Comparator.comparingInt(String::length).reversed());
          StringBuilder alternatives = new StringBuilder("(?:");
          for (int k = 0; k < options.size(); k++) {
            alternatives.append(k == 0 ? "" : "|").append(Pattern.quote(options.get(k)));
          }
          return alternatives.append(')').toString();
        case "boolean":
          noSpec(type, spec, at);
          return "(?:true|false)";
        case "ipv4":
          noSpec(type, spec, at);
          return "(?:" + TextFormats.IPV4 + ")";
        case "ipv4cidr":
          noSpec(type, spec, at);
          return "(?:" + TextFormats.IPV4_CIDR + ")";
        case "ipv6":
          noSpec(type, spec, at);
          checks.add(new GroupCheck(group, null, null));
          return "(?<" + group + ">[0-9A-Fa-f:.]{2,45})";
        case "version":
          noSpec(type, spec, at);
          return "(?:" + TextFormats.SEMVER + ")";
        default:
          throw new IllegalArgumentException(
              at
                  + "unknown format type '"
                  + type
                  + "'; expected string, number, boolean, password, list, ipv4, ipv4cidr, ipv6"
                  + " or version");
      }
    }

    private static void noSpec(String type, String spec, String at) {
      if (spec != null) {
        throw new IllegalArgumentException(at + "'${" + type + "}' takes no argument");
      }
    }

    private static String regex(String type, char kind, String spec, String at) {
      if (kind != '/') {
        throw new IllegalArgumentException(
            at + "'${" + type + ":[...]}' is only for number ranges and list choices");
      }
      String r = spec;
      if (r.startsWith("^")) {
        r = r.substring(1);
      }
      if (r.endsWith("$") && !r.endsWith("\\$")) {
        r = r.substring(0, r.length() - 1);
      }
      try {
        Pattern.compile(r);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            at + "regex /" + spec + "/ does not compile: " + e.getDescription(), e);
      }
      return r;
    }
  }

  /** A check on one placeholder's text: a number range, or a strict IPv6 address. */
  private record GroupCheck(String group, BigDecimal min, BigDecimal max) {
    Optional<String> reject(String text) {
      if (min == null) {
        return TextFormats.isIpv6(text)
            ? Optional.empty()
            : Optional.of(": '" + text + "' is not an IPv6 address");
      }
      BigDecimal value = new BigDecimal(text);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        return Optional.of(
            ": " + text + " is outside " + min.toPlainString() + " to " + max.toPlainString());
      }
      return Optional.empty();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValuesSchema && ((ValuesSchema) o).rules().equals(rules());
  }

  @Override
  public int hashCode() {
    return Objects.hash(rules());
  }

  @Override
  public String toString() {
    return "ValuesSchema" + rules();
  }
}
