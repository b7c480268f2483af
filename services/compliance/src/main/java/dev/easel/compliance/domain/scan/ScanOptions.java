package dev.easel.compliance.domain.scan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A scan's options, checked against its kind. Unknown options are refused rather than ignored, so
 * that a typo never runs a different scan than the one asked for.
 *
 * <ul>
 *   <li>sbom: {@code format} ({@code spdx-json}, {@code cyclonedx-json} or {@code syft-json},
 *       default {@code spdx-json}); {@code scope} ({@code cluster}, {@code namespace}, {@code
 *       label-selector} or {@code pod}, default {@code cluster}) with {@code namespace}, {@code
 *       labelSelector} or {@code podName} as the scope needs
 *   <li>conformance: {@code mode} ({@code quick}, {@code non-disruptive-conformance} or {@code
 *       certified-conformance}, default {@code quick})
 *   <li>configuration and penetration take none
 * </ul>
 */
public final class ScanOptions {

  public static final Set<String> SBOM_FORMATS = Set.of("spdx-json", "cyclonedx-json", "syft-json");
  public static final Set<String> SCOPES = Set.of("cluster", "namespace", "label-selector", "pod");
  public static final Set<String> MODES =
      Set.of("quick", "non-disruptive-conformance", "certified-conformance");

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern POD_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  // key=value, key!=value, key in (a,b): the characters a selector uses, and nothing a shell reads.
  private static final Pattern SELECTOR = Pattern.compile("[A-Za-z0-9._/=!,() -]{1,256}");

  /** One thing wrong with the options. */
  public record Problem(String field, String code, String message) {}

  private ScanOptions() {}

  /** The options with their defaults filled in, or the problems. */
  public static Map<String, String> normalize(
      ScanKind kind, Map<String, String> given, List<Problem> problems) {
    Map<String, String> in = given == null ? Map.of() : given;
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> allowed =
        switch (kind) {
          case SBOM -> Set.of("format", "scope", "namespace", "labelSelector", "podName");
          case CONFORMANCE -> Set.of("mode");
          default -> Set.of();
        };
    List<String> unknown = new ArrayList<>();
    for (String k : in.keySet()) {
      if (!allowed.contains(k)) {
        unknown.add(k);
      }
    }
    for (String k : unknown) {
      problems.add(
          new Problem(
              "options." + k,
              "unknown-option",
              kind.wireName() + " scans take " + (allowed.isEmpty() ? "no options" : allowed)));
    }
    switch (kind) {
      case SBOM -> sbom(in, out, problems);
      case CONFORMANCE -> {
        String mode = in.getOrDefault("mode", "quick");
        if (!MODES.contains(mode)) {
          problems.add(new Problem("options.mode", "invalid", "mode is one of " + MODES));
        }
        out.put("mode", mode);
      }
      default -> {}
    }
    return out;
  }

  private static void sbom(
      Map<String, String> in, Map<String, String> out, List<Problem> problems) {
    String format = in.getOrDefault("format", "spdx-json");
    if (!SBOM_FORMATS.contains(format)) {
      problems.add(new Problem("options.format", "invalid", "format is one of " + SBOM_FORMATS));
    }
    out.put("format", format);
    String scope = in.getOrDefault("scope", "cluster");
    out.put("scope", scope);
    switch (scope) {
      case "cluster" -> {}
      case "namespace" -> need(in, out, "namespace", DNS_LABEL, problems);
      case "label-selector" -> need(in, out, "labelSelector", SELECTOR, problems);
      case "pod" -> {
        need(in, out, "namespace", DNS_LABEL, problems);
        need(in, out, "podName", POD_NAME, problems);
      }
      default -> problems.add(new Problem("options.scope", "invalid", "scope is one of " + SCOPES));
    }
  }

  private static void need(
      Map<String, String> in,
      Map<String, String> out,
      String key,
      Pattern pattern,
      List<Problem> problems) {
    String v = in.get(key);
    if (v == null || v.isBlank()) {
      problems.add(
          new Problem(
              "options." + key, "required", key + " is needed for scope " + in.get("scope")));
    } else if (!pattern.matcher(v).matches()) {
      problems.add(new Problem("options." + key, "invalid", key + " is not a valid value"));
    } else {
      out.put(key, v);
    }
  }
}
