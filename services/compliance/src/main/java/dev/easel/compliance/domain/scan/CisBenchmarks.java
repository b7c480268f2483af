package dev.easel.compliance.domain.scan;

import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CIS benchmark kube-bench checks a Kubernetes version against, from kube-bench's own {@code
 * version_mapping}. A version newer than the table's last one takes the highest benchmark at or
 * below it, as kube-bench's {@code mapToBenchmarkVersion} does by counting the minor down.
 */
public final class CisBenchmarks {

  private static final TreeMap<Integer, String> BY_MINOR = new TreeMap<>();
  private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(?:[.+-].*)?");

  static {
    BY_MINOR.put(15, "cis-1.5");
    for (int m = 16; m <= 18; m++) {
      BY_MINOR.put(m, "cis-1.6");
    }
    for (int m = 19; m <= 21; m++) {
      BY_MINOR.put(m, "cis-1.20");
    }
    BY_MINOR.put(22, "cis-1.23");
    BY_MINOR.put(23, "cis-1.23");
    BY_MINOR.put(24, "cis-1.24");
    BY_MINOR.put(25, "cis-1.7");
    BY_MINOR.put(26, "cis-1.8");
    BY_MINOR.put(27, "cis-1.9");
    BY_MINOR.put(28, "cis-1.10");
    for (int m = 29; m <= 31; m++) {
      BY_MINOR.put(m, "cis-1.11");
    }
    for (int m = 32; m <= 34; m++) {
      BY_MINOR.put(m, "cis-1.12");
    }
  }

  private CisBenchmarks() {}

  /**
   * The benchmark for a Kubernetes version such as {@code 1.30.4} or {@code v1.29.0+k3s1}; empty
   * when the version is not one, or older than any benchmark.
   */
  public static Optional<String> forKubernetes(String version) {
    if (version == null) {
      return Optional.empty();
    }
    Matcher m = VERSION.matcher(version.trim());
    if (!m.matches() || !"1".equals(m.group(1))) {
      return Optional.empty();
    }
    var entry = BY_MINOR.floorEntry(Integer.parseInt(m.group(2)));
    return entry == null ? Optional.empty() : Optional.of(entry.getValue());
  }
}
