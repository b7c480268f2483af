package dev.easel.compliance.adapters.out.reports;

/**
 * What the scan knows about a report that the report itself may not say. Each part may be null.
 *
 * @param node the node the tool ran on
 * @param role the node's role, {@code control-plane} or {@code worker}
 * @param scope what the run covered: kube-hunter's mode ({@code internal} or {@code external}), or
 *     the image or directory an SBOM or a Grype report describes
 */
public record ReportContext(String node, String role, String scope) {

  /** A context that says nothing: the parsers fall back to what the report says. */
  public static ReportContext none() {
    return new ReportContext(null, null, null);
  }
}
