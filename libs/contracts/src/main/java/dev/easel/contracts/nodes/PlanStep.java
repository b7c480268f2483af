package dev.easel.contracts.nodes;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One step of a {@link RunPlan}: either a shell {@code command} or a built-in {@code action}, never
 * both.
 *
 * @param id unique within the plan; results name the step by it
 * @param name what the step does, for people
 * @param command run by {@code /bin/sh -c} on the node
 * @param action a built-in action, one of {@link #ACTIONS}
 * @param args the action's arguments
 * @param timeoutSeconds how long one attempt may take; {@value #DEFAULT_TIMEOUT_SECONDS} when null
 * @param retries how many more attempts a failed step gets; 0 when null
 * @param secretFiles files the step needs that hold secrets, by absolute path: written with mode
 *     0600 just before the step runs and removed after it, sealed at rest, never shown to
 *     operators, and masked in the step's captured output
 * @param artifacts files the step writes, by absolute path: after the step succeeds, and before it
 *     reports success, the agent uploads each to node-discovery, named by its file name ({@link
 *     #artifactName}), so a report larger than the captured output (a kube-bench or syft result) is
 *     kept whole. A missing file fails the step. At most {@value #MAX_ARTIFACTS}, file names unique
 *     within the step; empty when null
 */
public record PlanStep(
    String id,
    String name,
    String command,
    String action,
    Map<String, String> args,
    Integer timeoutSeconds,
    Integer retries,
    Map<String, String> secretFiles,
    List<String> artifacts) {

  public static final int DEFAULT_TIMEOUT_SECONDS = 300;

  /** A step declares at most this many artifacts. */
  public static final int MAX_ARTIFACTS = 16;

  /**
   * Built-in actions every agent knows: {@code report-inventory} sends the inventory again, {@code
   * sleep} waits {@code args.seconds}, {@code write-file} writes {@code args.content} to {@code
   * args.path} with {@code args.mode} (octal, default 0644).
   */
  public static final Set<String> ACTIONS = Set.of("report-inventory", "sleep", "write-file");

  public PlanStep {
    args = args == null ? Map.of() : Map.copyOf(args);
    secretFiles = secretFiles == null ? Map.of() : Map.copyOf(secretFiles);
    artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
  }

  /** A step that leaves no artifacts: what every step was before artifacts existed. */
  public PlanStep(
      String id,
      String name,
      String command,
      String action,
      Map<String, String> args,
      Integer timeoutSeconds,
      Integer retries,
      Map<String, String> secretFiles) {
    this(id, name, command, action, args, timeoutSeconds, retries, secretFiles, List.of());
  }

  /**
   * The name an artifact is uploaded and listed under: the last segment of its path ({@code
   * kube-bench.json} for {@code /var/lib/easel/scan/kube-bench.json}).
   */
  public static String artifactName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public int timeoutOrDefault() {
    return timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
  }

  public int retriesOrDefault() {
    return retries == null ? 0 : retries;
  }

  /** The step without its secrets' contents: only their paths. */
  @Override
  public String toString() {
    return "PlanStep[id="
        + id
        + ", name="
        + name
        + ", command="
        + command
        + ", action="
        + action
        + ", args="
        + args
        + ", timeoutSeconds="
        + timeoutSeconds
        + ", retries="
        + retries
        + ", secretFiles="
        + secretFiles.keySet()
        + ", artifacts="
        + artifacts
        + "]";
  }
}
