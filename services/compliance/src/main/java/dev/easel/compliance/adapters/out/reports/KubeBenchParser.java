package dev.easel.compliance.adapters.out.reports;

import static dev.easel.compliance.adapters.out.reports.ReportJson.strip;
import static dev.easel.compliance.adapters.out.reports.ReportJson.text;

import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.report.ReportSink;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import java.io.InputStream;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code kube-bench --json}: one finding per check.
 *
 * <p>kube-bench prints {@code {"Controls":[...],"Totals":{...}}}, or with {@code --nototals} the
 * bare array of controls. A control is one benchmark target (master, node, etcd, ...), its groups
 * are sections ({@code 1.1}) and their results are the checks. Keys this parser does not use are
 * ignored and missing ones are accepted, since the format has grown fields over the years ({@code
 * AuditEnv}, {@code IsMultiple}, {@code detected_version}). Controls are read one at a time.
 *
 * <p>A finding's node and role come from the {@link ReportContext}; without a role, the control's
 * {@code node_type} gives one ({@code master}, {@code controlplane} and {@code etcd} are {@code
 * control-plane}, {@code node} is {@code worker}). Its detail is the actual value the check saw,
 * then the reason kube-bench gives (a manual test says so).
 */
public final class KubeBenchParser {

  private static final String WHAT = "the kube-bench report";

  private final ReportJson json;

  public KubeBenchParser() {
    this(ReportLimits.defaults());
  }

  public KubeBenchParser(ReportLimits limits) {
    this.json = new ReportJson(limits);
  }

  /** Reads the report and gives the sink one finding per check, in the report's order. */
  public void parse(InputStream in, ReportContext ctx, ReportSink sink) throws ReportRejected {
    try (JsonParser p = json.open(in)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new ReportRejected(WHAT + " is empty");
      } else if (first == JsonToken.START_ARRAY) {
        readControls(p, ctx, sink);
      } else if (first == JsonToken.START_OBJECT) {
        readOverall(p, ctx, sink);
      } else {
        throw new ReportRejected(WHAT + " is neither an object with Controls nor a list of them");
      }
      ReportJson.expectEnd(p, WHAT);
    } catch (JacksonException e) {
      throw ReportFailures.fromJackson(WHAT, "JSON", e);
    }
  }

  private void readOverall(JsonParser p, ReportContext ctx, ReportSink sink) throws ReportRejected {
    boolean controls = false;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (!"Controls".equals(name)) {
        p.skipChildren();
      } else if (value == JsonToken.START_ARRAY) {
        readControls(p, ctx, sink);
        controls = true;
      } else if (value == JsonToken.VALUE_NULL) {
        // Go writes an empty list of controls as null.
        controls = true;
      } else {
        throw new ReportRejected(WHAT + " has Controls that are not a list");
      }
    }
    if (!controls) {
      throw new ReportRejected(WHAT + " has no Controls");
    }
  }

  private static void readControls(JsonParser p, ReportContext ctx, ReportSink sink) {
    while (p.nextToken() != JsonToken.END_ARRAY) {
      JsonNode control = p.readValueAsTree();
      String role = ctx.role() != null ? ctx.role() : roleOf(text(control, "node_type"));
      for (JsonNode group : control.path("tests").values()) {
        String section = text(group, "section");
        for (JsonNode check : group.path("results").values()) {
          sink.finding(finding(check, section, role, ctx));
        }
      }
    }
  }

  private static Finding finding(JsonNode check, String section, String role, ReportContext ctx) {
    return new Finding(
        ctx.node(),
        role,
        section,
        text(check, "test_number"),
        strip(text(check, "test_desc")),
        statusOf(text(check, "status")),
        Severity.NONE,
        detail(strip(text(check, "actual_value")), strip(text(check, "reason"))),
        strip(text(check, "remediation")),
        null,
        null);
  }

  /** kube-bench writes PASS, FAIL, WARN or INFO; anything else is shown as information. */
  private static Status statusOf(String status) {
    if (status == null) {
      return Status.INFO;
    }
    return switch (status.toUpperCase(Locale.ROOT)) {
      case "PASS" -> Status.PASS;
      case "FAIL" -> Status.FAIL;
      case "WARN" -> Status.WARN;
      default -> Status.INFO;
    };
  }

  private static String roleOf(String nodeType) {
    if (nodeType == null) {
      return null;
    }
    return switch (nodeType) {
      case "master", "controlplane", "etcd" -> "control-plane";
      case "node" -> "worker";
      default -> null;
    };
  }

  private static String detail(String actual, String reason) {
    if (actual == null) {
      return reason;
    }
    return reason == null ? actual : actual + "\n" + reason;
  }
}
