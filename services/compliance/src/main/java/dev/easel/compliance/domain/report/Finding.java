package dev.easel.compliance.domain.report;

/**
 * One line of a scan's report, whatever the tool.
 *
 * @param node the node it was found on, or null when the tool looks at the whole cluster
 * @param role the node's role, {@code control-plane} or {@code worker}, or null
 * @param scope where in the tool's output it sits: a kube-bench section ({@code 1.1}), a
 *     kube-hunter mode ({@code internal} or {@code external}), a Sonobuoy plugin ({@code e2e}), or
 *     the image or source an SBOM was made from
 * @param ruleId the check or vulnerability: {@code 1.1.1}, {@code KHV002}, {@code CVE-2023-1234},
 *     or a conformance test's full name
 * @param title what it is, for people
 * @param detail the evidence, the actual value, a failure message or a description
 * @param remediation what to do about it, when the tool says
 * @param reference a link for more, when the tool gives one
 * @param affected the package, for a vulnerability; null otherwise
 */
public record Finding(
    String node,
    String role,
    String scope,
    String ruleId,
    String title,
    Status status,
    Severity severity,
    String detail,
    String remediation,
    String reference,
    AffectedPackage affected) {

  public Finding {
    severity = severity == null ? Severity.NONE : severity;
  }
}
