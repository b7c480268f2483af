package dev.easel.compliance.adapters.out.reports;

import static dev.easel.compliance.adapters.out.reports.ReportJson.text;
import static dev.easel.compliance.adapters.out.reports.ReportJson.texts;

import dev.easel.compliance.domain.report.AffectedPackage;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.report.ReportSink;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code grype -o json}: one failing finding per match of a vulnerability to a package.
 *
 * <p>The report is {@code {"matches":[...],"ignoredMatches":[...],"source":{...},...}}. It is
 * streamed: the parser walks the {@code matches} array and reads one match at a time as a small
 * tree, so a report of any number of matches costs the memory of one. Ignored matches are not
 * findings.
 *
 * <p>The finding's scope is {@link ReportContext#scope()}, the image the scan was for. Without it,
 * it is the report's own {@code source.target}: the user's input for an image, the path for a
 * directory. Grype writes the source after the matches, so the report is then copied to a temporary
 * file and read twice.
 *
 * <p>The title is the first line of the vulnerability's description (cut to {@value
 * #MAX_TITLE_LENGTH} characters), or its id when there is none; the detail is the whole
 * description; the reference is its {@code dataSource}, or its first URL.
 */
public final class GrypeParser {

  static final int MAX_TITLE_LENGTH = 160;

  private static final String WHAT = "the Grype report";

  private final ReportJson json;

  public GrypeParser() {
    this(ReportLimits.defaults());
  }

  public GrypeParser(ReportLimits limits) {
    this.json = new ReportJson(limits);
  }

  /** Reads the report and gives the sink one finding per match, in the report's order. */
  public void parse(InputStream in, ReportContext ctx, ReportSink sink) throws ReportRejected {
    if (ctx.scope() != null) {
      read(json.limit(in), ctx, ctx.scope(), sink);
      return;
    }
    try (SpooledReport copy = SpooledReport.copy(json.limit(in), WHAT)) {
      String target;
      try (InputStream first = copy.open()) {
        target = sourceTarget(first);
      }
      try (InputStream second = copy.open()) {
        read(second, ctx, target, sink);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read back a copy of " + WHAT, e);
    }
  }

  private void read(InputStream counted, ReportContext ctx, String scope, ReportSink sink)
      throws ReportRejected {
    try (JsonParser p = json.openCounted(counted)) {
      startObject(p);
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("matches".equals(name) && value == JsonToken.START_ARRAY) {
          while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode match = p.readValueAsTree();
            JsonNode vulnerability = match.path("vulnerability");
            if (text(vulnerability, "id") != null) {
              sink.finding(finding(vulnerability, match.path("artifact"), ctx, scope));
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

  /** The report's {@code source.target}: a user's input for an image, a path for a directory. */
  private String sourceTarget(InputStream counted) throws ReportRejected {
    String target = null;
    try (JsonParser p = json.openCounted(counted)) {
      startObject(p);
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        p.nextToken();
        if ("source".equals(name)) {
          JsonNode source = p.readValueAsTree();
          JsonNode t = source.path("target");
          target = t.isObject() ? text(t, "userInput") : text(source, "target");
        } else {
          p.skipChildren();
        }
      }
      ReportJson.expectEnd(p, WHAT);
    } catch (JacksonException e) {
      throw ReportFailures.fromJackson(WHAT, "JSON", e);
    }
    return target;
  }

  private static void startObject(JsonParser p) throws ReportRejected {
    JsonToken first = p.nextToken();
    if (first == null) {
      throw new ReportRejected(WHAT + " is empty");
    }
    if (first != JsonToken.START_OBJECT) {
      throw new ReportRejected(WHAT + " is not a JSON object");
    }
  }

  private static Finding finding(
      JsonNode vulnerability, JsonNode artifact, ReportContext ctx, String scope) {
    String id = text(vulnerability, "id");
    String description = ReportJson.strip(text(vulnerability, "description"));
    JsonNode fix = vulnerability.path("fix");
    List<String> locations = new ArrayList<>();
    for (JsonNode location : artifact.path("locations").values()) {
      String path = text(location, "path");
      if (path != null) {
        locations.add(path);
      }
    }
    AffectedPackage affected =
        new AffectedPackage(
            text(artifact, "name"),
            text(artifact, "version"),
            text(artifact, "type"),
            text(artifact, "purl"),
            text(fix, "state"),
            texts(fix.path("versions")),
            locations);
    return new Finding(
        ctx.node(),
        ctx.role(),
        scope,
        id,
        title(id, description),
        Status.FAIL,
        Severity.parse(text(vulnerability, "severity")),
        description,
        null,
        reference(vulnerability),
        affected);
  }

  private static String title(String id, String description) {
    if (description == null) {
      return id;
    }
    int newline = description.indexOf('\n');
    String line = (newline < 0 ? description : description.substring(0, newline)).strip();
    if (line.length() <= MAX_TITLE_LENGTH) {
      return line;
    }
    int cut = line.lastIndexOf(' ', MAX_TITLE_LENGTH - 3);
    return line.substring(0, cut > MAX_TITLE_LENGTH / 2 ? cut : MAX_TITLE_LENGTH - 3) + "...";
  }

  private static String reference(JsonNode vulnerability) {
    String dataSource = text(vulnerability, "dataSource");
    if (dataSource != null) {
      return dataSource;
    }
    List<String> urls = texts(vulnerability.path("urls"));
    return urls.isEmpty() ? null : urls.get(0);
  }
}
