package dev.easel.agent.run;

import dev.easel.agent.server.ServerApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Results of finished steps, kept in the state dir until their plan has left the server's feed, so
 * a restarted agent reports a finished step again instead of running it again.
 */
final class StepJournal {

  private static final Base64.Encoder NAME = Base64.getUrlEncoder().withoutPadding();
  private final StateDir state;

  StepJournal(StateDir state) {
    this.state = state;
  }

  Optional<ServerApi.StepResult> find(String plan, String step, int attempt) {
    return state.read(name(plan, step, attempt), ServerApi.StepResult.class);
  }

  void record(String plan, String step, ServerApi.StepResult result) throws IOException {
    state.write(name(plan, step, result.attempt()), result);
  }

  /** Forgets every plan not in {@code active}: the server has all their results. */
  void keepOnly(Set<String> active) throws IOException {
    Path root = state.path().resolve("journal");
    if (!Files.isDirectory(root)) {
      return;
    }
    Set<String> keep = new java.util.HashSet<>();
    for (String plan : active) {
      keep.add(encode(plan));
    }
    try (DirectoryStream<Path> plans = Files.newDirectoryStream(root)) {
      for (Path plan : plans) {
        if (!keep.contains(plan.getFileName().toString())) {
          try (Stream<Path> files = Files.walk(plan)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
    }
  }

  static String name(String plan, String step, int attempt) {
    return "journal/" + encode(plan) + "/" + encode(step) + "." + attempt + ".json";
  }

  private static String encode(String id) {
    return NAME.encodeToString(id.getBytes(StandardCharsets.UTF_8));
  }
}
