package dev.easel.nodes.application;

import dev.easel.contracts.nodes.PlanStep;
import dev.easel.nodes.application.port.PlanKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret files of an arriving plan, opened with node-discovery's plan key (ADR 0010). With a
 * key, every one must arrive sealed to it, for this plan, step and path: one sent in the clear has
 * already crossed Kafka readable by every consumer, so the plan is refused, and its sender learns
 * which step and path to seal. Without a key, clear values are taken as before, with a warning the
 * first time. A refusal names steps and paths, never contents.
 */
final class OpeningSecrets {

  private static final Logger log = LoggerFactory.getLogger(OpeningSecrets.class);

  /**
   * The steps with their secret files in the clear, and what kept any from opening.
   *
   * @param steps the steps as given, with each secret file that opened in the clear; one that did
   *     not open is left empty
   * @param problems one line per secret file that did not open, naming its step and path
   */
  record Opened(List<PlanStep> steps, List<String> problems) {}

  private final PlanKey key;
  private final AtomicBoolean warned = new AtomicBoolean();

  OpeningSecrets(PlanKey key) {
    this.key = key;
  }

  Opened open(String planId, List<PlanStep> steps) {
    if (steps == null) {
      return new Opened(null, List.of());
    }
    List<String> problems = new ArrayList<>();
    List<PlanStep> opened = new ArrayList<>(steps.size());
    boolean clear = false;
    for (int i = 0; i < steps.size(); i++) {
      PlanStep s = steps.get(i);
      if (s == null || s.secretFiles().isEmpty()) {
        opened.add(s);
        continue;
      }
      Map<String, String> files = new LinkedHashMap<>();
      for (Map.Entry<String, String> f : s.secretFiles().entrySet()) {
        String at = "steps[" + i + "] ('" + s.id() + "').secretFiles." + f.getKey();
        String value = f.getValue();
        if (key.isSealed(value)) {
          try {
            files.put(f.getKey(), key.open(planId, s.id(), f.getKey(), value));
          } catch (IllegalStateException e) {
            problems.add(at + ": " + e.getMessage());
            files.put(f.getKey(), "");
          }
        } else if (key.configured()) {
          problems.add(
              at
                  + ": sent in the clear; senders seal secret files to node-discovery's plan key"
                  + " (easel.plans.public-key-file)");
          files.put(f.getKey(), "");
        } else {
          clear = true;
          files.put(f.getKey(), value);
        }
      }
      opened.add(
          new PlanStep(
              s.id(),
              s.name(),
              s.command(),
              s.action(),
              s.args(),
              s.timeoutSeconds(),
              s.retries(),
              files,
              s.artifacts()));
    }
    if (clear && problems.isEmpty() && warned.compareAndSet(false, true)) {
      log.warn(
          "plan {} brought secret files in the clear through Kafka; they are taken because"
              + " easel.nodes.plan-private-key-file is not set. Make a plan key pair so that"
              + " senders seal them (docs/adr/0010)",
          planId);
    }
    return new Opened(opened, problems);
  }
}
