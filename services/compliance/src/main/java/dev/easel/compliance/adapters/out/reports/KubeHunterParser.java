package dev.easel.compliance.adapters.out.reports;

import static dev.easel.compliance.adapters.out.reports.ReportJson.text;

import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.report.ReportSink;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import java.io.InputStream;
import java.util.StringJoiner;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code kube-hunter --report json}: one failing finding per vulnerability.
 *
 * <p>The report is {@code {"nodes":[...],"services":[...],"vulnerabilities":[...]}} (and {@code
 * hunter_statistics} with {@code --statistics}), written by {@code BaseReporter.get_report}. Only
 * the vulnerabilities become findings. kube-hunter does not say whether it ran inside the cluster
 * or from outside, so the finding's scope is the mode given in {@link ReportContext#scope()}.
 *
 * <p>The detail is the evidence, then the vulnerability's description (a Python docstring, with its
 * line breaks and indentation folded into single spaces), then where it was found. A legacy
 * hunter's vulnerability has the id {@code "None"}; its name stands in for the rule then.
 */
public final class KubeHunterParser {

  private static final String WHAT = "the kube-hunter report";

  private final ReportJson json;

  public KubeHunterParser() {
    this(ReportLimits.defaults());
  }

  public KubeHunterParser(ReportLimits limits) {
    this.json = new ReportJson(limits);
  }

  /** Reads the report and gives the sink one finding per vulnerability, in the report's order. */
  public void parse(InputStream in, ReportContext ctx, ReportSink sink) throws ReportRejected {
    try (JsonParser p = json.open(in)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new ReportRejected(WHAT + " is empty");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ReportRejected(WHAT + " is not a JSON object");
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("vulnerabilities".equals(name) && value == JsonToken.START_ARRAY) {
          while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode vulnerability = p.readValueAsTree();
            if (vulnerability.isObject()) {
              sink.finding(finding(vulnerability, ctx));
            }
          }
        } else {
          p.skipChildren();
        }
      }
      ReportJson.expectEnd(p, WHAT);
    } catch (JacksonException e) {
      throw ReportFailures.fromJackson(WHAT, "JSON", e);
    }
  }

  private static Finding finding(JsonNode vulnerability, ReportContext ctx) {
    String name = text(vulnerability, "vulnerability");
    String vid = text(vulnerability, "vid");
    return new Finding(
        ctx.node(),
        ctx.role(),
        ctx.scope(),
        vid == null || "None".equals(vid) ? name : vid,
        name,
        Status.FAIL,
        Severity.parse(text(vulnerability, "severity")),
        detail(vulnerability),
        null,
        text(vulnerability, "avd_reference"),
        null);
  }

  private static String detail(JsonNode vulnerability) {
    StringJoiner detail = new StringJoiner("\n");
    String evidence = text(vulnerability, "evidence");
    String description = text(vulnerability, "description");
    String location = text(vulnerability, "location");
    if (evidence != null) {
      detail.add(evidence.strip());
    }
    if (description != null) {
      detail.add(description.strip().replaceAll("\\s*\\n\\s*", " "));
    }
    if (location != null) {
      detail.add("Found at " + location);
    }
    return detail.length() == 0 ? null : detail.toString();
  }
}
