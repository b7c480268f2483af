package dev.easel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** How a benchmark prints its lines and writes {@code target/bench/<name>.json}. */
final class Report {

  private Report() {}

  static void say(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  /**
   * Writes the figures as one flat JSON object. Numbers are written in {@link Locale#ROOT} (a
   * decimal point, whatever the machine's locale), a number that is not finite is null, booleans
   * stay booleans and anything else is a string.
   */
  static void write(String name, Map<String, ?> results) throws IOException {
    Path out = Path.of("target", "bench", name + ".json");
    Files.createDirectories(out.getParent());
    StringBuilder json = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, ?> e : results.entrySet()) {
      json.append(
          String.format(
              Locale.ROOT,
              "  \"%s\": %s%s%n",
              e.getKey(),
              value(e.getValue()),
              ++i < results.size() ? "," : ""));
    }
    json.append("}\n");
    Files.writeString(out, json.toString());
    say("wrote %s", out.toAbsolutePath());
  }

  private static String value(Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null";
    }
    if (v instanceof Boolean b) {
      return b.toString();
    }
    return v == null
        ? "null"
        : "\"" + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
