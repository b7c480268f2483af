package dev.easel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** How a benchmark prints its lines and writes {@code target/bench/<name>.json}. */
final class Report {

  private Report() {}

  static void say(String format, Object... args) {
    System.out.println(String.format(format, args));
    System.out.flush();
  }

  /** Writes the figures as one flat JSON object; a figure that is not a number is null. */
  static void write(String name, Map<String, Double> results) throws IOException {
    Path out = Path.of("target", "bench", name + ".json");
    Files.createDirectories(out.getParent());
    StringBuilder json = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, Double> e : results.entrySet()) {
      double v = e.getValue();
      String value = Double.isFinite(v) ? String.format("%.3f", v) : "null";
      json.append(
          String.format("  \"%s\": %s%s%n", e.getKey(), value, ++i < results.size() ? "," : ""));
    }
    json.append("}\n");
    Files.writeString(out, json.toString());
    say("wrote %s", out.toAbsolutePath());
  }
}
