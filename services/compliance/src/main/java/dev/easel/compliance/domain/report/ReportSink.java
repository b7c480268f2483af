package dev.easel.compliance.domain.report;

/**
 * Where a parser puts what it reads, one item at a time, so that a report of any size is never held
 * whole in memory.
 */
public interface ReportSink {

  void finding(Finding finding);

  /** An SBOM's component. Parsers of other formats never call it. */
  default void component(Component component) {}
}
