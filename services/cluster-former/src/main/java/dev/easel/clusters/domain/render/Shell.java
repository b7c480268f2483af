package dev.easel.clusters.domain.render;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Builds POSIX shell command lines from arguments that may hold anything. */
public final class Shell {

  /** Characters no POSIX shell gives a meaning to, in any position. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private Shell() {}

  /**
   * The argument as one shell word: unchanged when it holds only plain characters, otherwise in
   * single quotes, inside which nothing is special; a single quote is written as {@code '\''}
   * (close, an escaped quote, reopen).
   *
   * @throws IllegalArgumentException for a NUL character, which no shell argument can hold
   */
  public static String quote(String argument) {
    if (argument.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a shell argument cannot hold a NUL character");
    }
    if (PLAIN.matcher(argument).matches()) {
      return argument;
    }
    return "'" + argument.replace("'", "'\\''") + "'";
  }

  /** The arguments quoted and joined with spaces. */
  public static String join(List<String> arguments) {
    return arguments.stream().map(Shell::quote).collect(Collectors.joining(" "));
  }
}
