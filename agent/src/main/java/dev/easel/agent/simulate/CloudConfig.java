package dev.easel.agent.simulate;

import dev.easel.agent.server.ServerApi;
import java.util.Optional;

/**
 * What the simulator needs of the Kairos cloud-config an {@code install} or {@code join} step
 * carries: the node's host name and the cluster it forms or joins.
 *
 * <p>A line reader, not a YAML parser: the agent takes no YAML library for a simulation. It knows
 * the shape cluster-former renders, plain or quoted scalars in block style, and ignores the rest,
 * including the kubeadm config nested under {@code cluster.config}.
 *
 * @param hostname the top-level {@code hostname}, null if absent
 * @param controlPlaneHost {@code cluster.control_plane_host}, the VIP that names the cluster; null
 *     if absent
 * @param role {@code cluster.role}: {@code init}, {@code controlplane} or {@code worker}; null if
 *     absent
 */
record CloudConfig(String hostname, String controlPlaneHost, String role) {

  /** Where cluster-former puts the node's cluster config. */
  static final String FILE = "/oem/90_easel_cluster.yaml";

  /** The cloud-config among the step's secret files, if it carries one. */
  static Optional<CloudConfig> of(ServerApi.Step step) {
    String text = step.secretFiles().get(FILE);
    return text == null ? Optional.empty() : Optional.of(read(text));
  }

  static CloudConfig read(String text) {
    String hostname = null;
    String vip = null;
    String role = null;
    boolean inCluster = false;
    int clusterIndent = -1;
    for (String raw : text.split("\r?\n", -1)) {
      String line = withoutComment(raw);
      if (line.isBlank() || line.equals("---")) {
        continue;
      }
      int indent = indentOf(line);
      if (indent == 0) {
        inCluster = false;
        String[] kv = keyValue(line);
        if (kv == null) {
          continue;
        }
        if (kv[0].equals("hostname")) {
          hostname = scalar(kv[1]);
        } else if (kv[0].equals("cluster") && kv[1].isEmpty()) {
          inCluster = true;
          clusterIndent = -1;
        }
        continue;
      }
      if (!inCluster) {
        continue;
      }
      if (clusterIndent < 0) {
        clusterIndent = indent; // the first key under cluster sets the level of its keys
      }
      if (indent != clusterIndent) {
        continue;
      }
      String[] kv = keyValue(line);
      if (kv == null) {
        continue;
      }
      if (kv[0].equals("control_plane_host")) {
        vip = scalar(kv[1]);
      } else if (kv[0].equals("role")) {
        role = scalar(kv[1]);
      }
    }
    return new CloudConfig(hostname, vip, role);
  }

  private static int indentOf(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** {@code key: value} with the value unparsed, or null when the line is no mapping entry. */
  private static String[] keyValue(String line) {
    String t = line.strip();
    int colon = t.indexOf(':');
    if (colon <= 0 || t.startsWith("-") || (colon + 1 < t.length() && t.charAt(colon + 1) != ' ')) {
      return null;
    }
    String key = t.substring(0, colon).strip();
    if (key.length() >= 2
        && (key.charAt(0) == '"' || key.charAt(0) == '\'')
        && key.charAt(key.length() - 1) == key.charAt(0)) {
      key = key.substring(1, key.length() - 1);
    }
    return new String[] {key, t.substring(colon + 1).strip()};
  }

  /** The line up to a {@code #} that starts a comment: at its start or after a blank, unquoted. */
  private static String withoutComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i).stripTrailing();
      }
    }
    return line.stripTrailing();
  }

  /** A plain, single- or double-quoted scalar's value; null for an empty one. */
  private static String scalar(String value) {
    if (value.isEmpty()) {
      return null;
    }
    char q = value.charAt(0);
    if (value.length() >= 2 && q == '\'' && value.endsWith("'")) {
      return value.substring(1, value.length() - 1).replace("''", "'");
    }
    if (value.length() >= 2 && q == '"' && value.endsWith("\"")) {
      StringBuilder b = new StringBuilder();
      for (int i = 1; i < value.length() - 1; i++) {
        char c = value.charAt(i);
        if (c == '\\' && i + 1 < value.length() - 1) {
          c = value.charAt(++i);
        }
        b.append(c);
      }
      return b.toString();
    }
    return value;
  }
}
