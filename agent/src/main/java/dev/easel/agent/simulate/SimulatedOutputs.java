package dev.easel.agent.simulate;

import dev.easel.agent.Json;
import dev.easel.agent.server.ServerApi;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a simulated step leaves in the files it declared as artifacts. After a simulated step
 * succeeds, the simulator calls {@link #write} once for each of its artifacts, then uploads the
 * file as a real agent would; a file left unwritten fails the step, as it would on a real node.
 *
 * <p>The file is the artifact's path on a real node moved under the simulated machine's own
 * directory, so its name is the artifact's name ({@code kube-bench.json}, {@code sbom.spdx.json}):
 * that, and the step's command, say which report to make. Implementations write to the path as they
 * go (a report of many megabytes need not be held in memory), and may be called from several
 * threads for different nodes at once. {@link #PLACEHOLDER} writes a small JSON document that says
 * it is simulated.
 */
@FunctionalInterface
public interface SimulatedOutputs {

  /**
   * Writes one artifact's content.
   *
   * @param file where to write it; its directory exists, and a file left there is replaced
   * @param step the step that declared it
   * @param node the simulated machine the step ran on
   */
  void write(Path file, ServerApi.Step step, SimulatedNode node) throws IOException;

  /**
   * What a succeeded step prints, for the steps whose output is read (such as {@code sonobuoy
   * status --json}); null keeps the simulator's own line.
   */
  default String output(ServerApi.Step step, SimulatedNode node) {
    return null;
  }

  /**
   * How a step the simulator would have succeeded ends, for tools whose commands can fail as the
   * real ones do ({@code velero backup get} of a backup the cluster does not have exits 1); null
   * keeps the simulator's own result. By default the step succeeds and prints {@link #output}, if
   * that is not null. The simulator calls this, not {@link #output}: an implementation that wraps
   * another delegates this too.
   */
  default Exit ran(ServerApi.Step step, SimulatedNode node) {
    String printed = output(step, node);
    return printed == null ? null : Exit.succeeded(printed);
  }

  /**
   * How a simulated command ended, as the real agent reports it.
   *
   * @param code the exit code; null when the command was killed
   * @param output what it printed
   * @param reason why it failed; null when it succeeded
   */
  record Exit(Integer code, String output, String reason) {

    public static Exit succeeded(String output) {
      return new Exit(0, output, null);
    }

    /** The command exited with {@code code}, which is its reason, as the real agent says. */
    public static Exit failed(int code, String output) {
      return new Exit(code, output, "exit code " + code);
    }

    /** The command did not end within the step's timeout and was killed. */
    public static Exit timedOut(ServerApi.Step step, String output) {
      return new Exit(null, output, "timed out after " + step.timeoutSeconds() + " s; killed");
    }

    public boolean succeeded() {
      return code != null && code == 0;
    }
  }

  /** {@code {"simulated":true,"step":...,"artifact":...,"node":...,"hostname":...}}. */
  SimulatedOutputs PLACEHOLDER =
      (file, step, node) -> {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("simulated", true);
        doc.put("step", step.id());
        doc.put("artifact", file.getFileName().toString());
        doc.put("node", String.valueOf(node.nodeId()));
        doc.put("hostname", node.hostname());
        try (OutputStream out = Files.newOutputStream(file)) {
          Json.MAPPER.writeValue(out, doc);
        }
      };
}
