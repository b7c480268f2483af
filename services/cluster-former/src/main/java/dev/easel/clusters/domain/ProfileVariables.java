package dev.easel.clusters.domain;

import dev.easel.clusters.domain.config.Ipv4Cidr;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks the values a cluster gives for its profile's variables: each value meets its variable's
 * format, pattern and options; a required variable without a default has a value; and no value is
 * given for a variable the profile does not declare.
 */
public final class ProfileVariables {

  /** A value is a line of configuration, not a document. */
  public static final int MAX_VALUE_LENGTH = 4096;

  private static final Pattern VERSION =
      Pattern.compile("v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]{2,39}(/\\d{1,3})?");

  private ProfileVariables() {}

  /** Every problem of the given values, each under {@code variables.<name>}. */
  public static List<FieldProblem> check(
      List<PublishedProfile.Variable> declared, Map<String, String> given) {
    List<FieldProblem> problems = new ArrayList<>();
    Map<String, PublishedProfile.Variable> byName = new LinkedHashMap<>();
    declared.forEach(v -> byName.put(v.name(), v));
    for (String name : given.keySet()) {
      if (!byName.containsKey(name)) {
        problems.add(
            new FieldProblem(
                "variables." + name,
                "unknown-variable",
                "the profile declares no variable '" + name + "'; it declares " + byName.keySet()));
      }
    }
    for (PublishedProfile.Variable v : declared) {
      String field = "variables." + v.name();
      String value = given.get(v.name());
      if (value == null) {
        if (v.required() && (v.defaultValue() == null || v.defaultValue().isEmpty())) {
          problems.add(
              new FieldProblem(
                  field,
                  "required",
                  "the profile requires a value for '" + v.name() + "' and has no default"));
        }
        continue;
      }
      if (value.length() > MAX_VALUE_LENGTH) {
        problems.add(
            new FieldProblem(
                field, "too-long", "at most " + MAX_VALUE_LENGTH + " characters are allowed"));
        continue;
      }
      String formatProblem = formatProblem(v.format(), value);
      if (formatProblem != null) {
        problems.add(new FieldProblem(field, "invalid-format", formatProblem));
        continue;
      }
      if (!v.options().isEmpty() && !v.options().contains(value)) {
        problems.add(
            new FieldProblem(field, "not-an-option", "the value must be one of " + v.options()));
        continue;
      }
      if (v.regex() != null && !v.regex().isEmpty()) {
        try {
          if (!Pattern.compile(v.regex()).matcher(value).matches()) {
            problems.add(
                new FieldProblem(
                    field,
                    "pattern-mismatch",
                    "the value does not match the variable's pattern " + v.regex()));
          }
        } catch (PatternSyntaxException e) {
          problems.add(
              new FieldProblem(
                  field, "invalid-pattern", "the profile's pattern for this variable is invalid"));
        }
      }
    }
    return problems;
  }

  private static String formatProblem(String format, String value) {
    if (format == null) {
      return null;
    }
    switch (format) {
      case "number":
        return NUMBER.matcher(value).matches() ? null : "'" + value + "' is not a number";
      case "boolean":
        return value.equals("true") || value.equals("false")
            ? null
            : "'" + value + "' is not true or false";
      case "ipv4":
        return IPV4.matcher(value).matches() ? null : "'" + value + "' is not an IPv4 address";
      case "ipv4cidr":
        try {
          Ipv4Cidr.parseNetwork(value);
          return null;
        } catch (IllegalArgumentException e) {
          return e.getMessage();
        }
      case "ipv6":
        return IPV6.matcher(value).matches() && value.contains(":")
            ? null
            : "'" + value + "' is not an IPv6 address";
      case "version":
        return VERSION.matcher(value).matches() ? null : "'" + value + "' is not a version";
      case "base64":
        try {
          Base64.getDecoder().decode(value);
          return null;
        } catch (IllegalArgumentException e) {
          return "the value is not base64";
        }
      default:
        return null;
    }
  }
}
