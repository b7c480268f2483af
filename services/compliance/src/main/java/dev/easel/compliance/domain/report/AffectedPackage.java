package dev.easel.compliance.domain.report;

import java.util.List;

/**
 * The package a vulnerability was found in, as Grype names it.
 *
 * @param type {@code apk}, {@code deb}, {@code rpm}, {@code java-archive}, {@code go-module}, ...
 * @param fixState {@code fixed}, {@code not-fixed}, {@code wont-fix} or {@code unknown}
 * @param fixedIn the versions that fix it, if any
 * @param locations paths in the image where the package was found
 */
public record AffectedPackage(
    String name,
    String version,
    String type,
    String purl,
    String fixState,
    List<String> fixedIn,
    List<String> locations) {

  public AffectedPackage {
    fixedIn = fixedIn == null ? List.of() : List.copyOf(fixedIn);
    locations = locations == null ? List.of() : List.copyOf(locations);
  }
}
