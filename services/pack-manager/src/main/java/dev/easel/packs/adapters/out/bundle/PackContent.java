package dev.easel.packs.adapters.out.bundle;

import dev.easel.packs.domain.PackManifest;
import java.util.List;

/**
 * What a pack archive holds, read and checked by {@link PackArchives}.
 *
 * @param manifest the parsed {@code pack.json}; its {@link PackManifest#problems()} are empty
 * @param packJson {@code pack.json} as uploaded
 * @param valuesYaml {@code values.yaml}, possibly empty
 * @param schemaYaml {@code schema.yaml}, or null when absent
 * @param presetsYaml {@code presets.yaml}, or null when absent
 * @param readme {@code README.md}, or null when absent
 * @param hasLogo whether {@code logo.png} is present
 * @param files every regular file, relative to the pack directory (the top directory removed), in
 *     archive order
 * @param uncompressedBytes the sum of the sizes of all files
 */
public record PackContent(
    PackManifest manifest,
    String packJson,
    String valuesYaml,
    String schemaYaml,
    String presetsYaml,
    String readme,
    boolean hasLogo,
    List<String> files,
    long uncompressedBytes) {

  public PackContent {
    files = List.copyOf(files);
  }

  public String name() {
    return manifest.name();
  }

  public String version() {
    return manifest.version();
  }
}
