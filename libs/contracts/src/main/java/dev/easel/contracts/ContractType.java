package dev.easel.contracts;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed wire type: {@code dev.easel.<context>.<Name>.v<N>}.
 *
 * @param context the bounded context that owns the type, which also names its topics
 * @param name the past-tense event or imperative command name
 * @param version the contract version, starting at 1
 */
public record ContractType(String context, String name, int version) {

  private static final Pattern FORMAT =
      Pattern.compile("dev\\.easel\\.([a-z][a-z0-9-]*)\\.([A-Z][A-Za-z0-9]*)\\.v([1-9][0-9]*)");

  public ContractType {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(name, "name");
    if (version < 1) {
      throw new IllegalArgumentException("a contract version starts at 1");
    }
  }

  /** Parses a wire type, or fails with a message that quotes the expected format. */
  public static ContractType parse(String type) {
    Matcher m = FORMAT.matcher(Objects.requireNonNull(type, "type"));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + type + "' is not a contract type of the form dev.easel.<context>.<Name>.v<N>");
    }
    return new ContractType(m.group(1), m.group(2), Integer.parseInt(m.group(3)));
  }

  @Override
  public String toString() {
    return "dev.easel." + context + "." + name + ".v" + version;
  }
}
