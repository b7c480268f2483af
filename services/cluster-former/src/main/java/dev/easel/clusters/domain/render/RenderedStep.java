package dev.easel.clusters.domain.render;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A command to run on a node, with the files to write there first.
 *
 * @param id a stable id, the same on every render of the same request
 * @param name what the step does, for people
 * @param command one shell command line; every argument taken from input is quoted
 * @param files file contents by absolute path, in the order to write them; they may hold secrets
 *     and are never printed
 */
public record RenderedStep(String id, String name, String command, Map<String, String> files) {

  public RenderedStep {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(command, "command");
    files = files == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  /** Only the paths of the files: layer values carry passwords. */
  @Override
  public String toString() {
    return "RenderedStep[id="
        + id
        + ", name="
        + name
        + ", command="
        + command
        + ", files="
        + files.keySet()
        + "]";
  }
}
