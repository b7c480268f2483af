package dev.easel.compliance.adapters.out.reports;

import dev.easel.compliance.domain.report.Component;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.ReportSink;
import dev.easel.compliance.domain.report.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Keeps what a parser gives it. */
final class CollectingSink implements ReportSink {

  final List<Finding> findings = new ArrayList<>();
  final List<Component> components = new ArrayList<>();

  @Override
  public void finding(Finding finding) {
    findings.add(finding);
  }

  @Override
  public void component(Component component) {
    components.add(component);
  }

  Finding rule(String ruleId) {
    return findings.stream()
        .filter(f -> ruleId.equals(f.ruleId()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no finding " + ruleId));
  }

  Component component(String name) {
    return components.stream()
        .filter(c -> name.equals(c.name()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no component " + name));
  }

  Map<Status, Long> statusCounts() {
    return findings.stream().collect(Collectors.groupingBy(Finding::status, Collectors.counting()));
  }
}
