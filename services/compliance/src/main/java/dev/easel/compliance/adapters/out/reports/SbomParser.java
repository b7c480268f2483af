package dev.easel.compliance.adapters.out.reports;

import static dev.easel.compliance.adapters.out.reports.ReportJson.text;

import dev.easel.compliance.domain.report.Component;
import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.report.ReportSink;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Property;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Reads a software bill of materials in SPDX JSON, CycloneDX JSON or Syft JSON, and gives the sink
 * its components.
 *
 * <p>The format is told from the document's first keys ({@code spdxVersion} or {@code SPDXID},
 * {@code bomFormat}, {@code artifacts}); a caller that knows it may say so, and a document that
 * reads as another format than the one declared is refused.
 *
 * <ul>
 *   <li><b>Syft JSON</b> ({@code artifacts[]}) and <b>SPDX JSON</b> ({@code packages[]}) are
 *       streamed: one artifact or package is read at a time, so an SBOM of any size costs the
 *       memory of one. In SPDX, the package Syft writes for the scanned image itself ({@code
 *       SPDXRef-DocumentRoot-...}) is the SBOM's subject, not one of its components.
 *   <li><b>CycloneDX JSON</b> is read with cyclonedx-core-java, whole, without schema validation:
 *       the library validates only up to spec 1.6, and Syft writes 1.7 by default. Nested
 *       components are flattened.
 * </ul>
 *
 * <p>A component's source is {@link ReportContext#scope()}, the image or directory scanned; without
 * it, the document's own subject (Syft's {@code source}, SPDX's document name, CycloneDX's {@code
 * metadata.component}). Syft writes its source after the artifacts, so the SBOM is then copied to a
 * temporary file and read twice. A component's type is the package type Syft gives ({@code deb},
 * {@code java-archive}), else the purl's type, else CycloneDX's component type.
 */
public final class SbomParser {

  /** How much of the document's start is examined to tell its format. */
  static final int HEAD_BYTES = 64 * 1024;

  private static final String WHAT = "the SBOM";

  private static final Pattern PURL_TYPE = Pattern.compile("pkg:([A-Za-z][A-Za-z0-9.+-]*)/.*");

  private final ReportJson json;

  public SbomParser() {
    this(ReportLimits.defaults());
  }

  public SbomParser(ReportLimits limits) {
    this.json = new ReportJson(limits);
  }

  /** Reads an SBOM whose format is told from its content. */
  public void parse(InputStream in, ReportContext ctx, ReportSink sink) throws ReportRejected {
    read(in, null, ctx, sink);
  }

  /** Reads an SBOM said to be in {@code format}; one that reads as another is refused. */
  public void parse(InputStream in, SbomFormat format, ReportContext ctx, ReportSink sink)
      throws ReportRejected {
    read(in, Objects.requireNonNull(format, "format"), ctx, sink);
  }

  /**
   * Reads an SBOM said to be in the format with Syft's id ({@code spdx-json}, {@code
   * cyclonedx-json}, {@code syft-json}, optionally with a version such as {@code @1.6}); a null id
   * means the format is told from the content.
   */
  public void parse(InputStream in, String formatId, ReportContext ctx, ReportSink sink)
      throws ReportRejected {
    SbomFormat declared = null;
    if (formatId != null) {
      declared =
          SbomFormat.fromId(formatId)
              .orElseThrow(
                  () ->
                      new ReportRejected(
                          WHAT
                              + " is in "
                              + formatId
                              + ", which this service does not read (it reads spdx-json,"
                              + " cyclonedx-json and syft-json)"));
    }
    read(in, declared, ctx, sink);
  }

  private void read(InputStream in, SbomFormat declared, ReportContext ctx, ReportSink sink)
      throws ReportRejected {
    BufferedInputStream counted = new BufferedInputStream(json.limit(in), HEAD_BYTES);
    SbomFormat format = format(counted, declared);
    switch (format) {
      case CYCLONEDX_JSON -> readCycloneDx(counted, ctx, sink);
      case SPDX_JSON, SYFT_JSON -> readStreamed(counted, format, ctx, sink);
    }
  }

  private SbomFormat format(BufferedInputStream counted, SbomFormat declared)
      throws ReportRejected {
    Optional<SbomFormat> seen = sniff(head(counted));
    if (declared != null && seen.isPresent() && seen.get() != declared) {
      throw new ReportRejected(
          WHAT + " was sent as " + declared.id() + " but reads as " + seen.get().id());
    }
    if (declared != null) {
      return declared;
    }
    return seen.orElseThrow(
        () ->
            new ReportRejected(
                WHAT
                    + " is not in a format this service recognises (spdx-json, cyclonedx-json or"
                    + " syft-json); name its format if it is one of these"));
  }

  private static Head head(BufferedInputStream counted) throws ReportRejected {
    try {
      counted.mark(HEAD_BYTES);
      byte[] bytes = counted.readNBytes(HEAD_BYTES);
      counted.reset();
      return new Head(bytes, bytes.length < HEAD_BYTES);
    } catch (IOException e) {
      throw ReportFailures.fromIo(WHAT, e);
    }
  }

  /** The first bytes of the document, and whether they are all of it. */
  private record Head(byte[] bytes, boolean whole) {}

  /**
   * The format the document's first keys show. A head cut short of a deciding key shows none; a
   * whole document that is not JSON is refused here.
   */
  private Optional<SbomFormat> sniff(Head head) throws ReportRejected {
    try (JsonParser p = json.openHead(head.bytes())) {
      startObject(p);
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        p.nextToken();
        Optional<SbomFormat> format = formatShownBy(name, p);
        if (format.isPresent()) {
          return format;
        }
        p.skipChildren();
      }
      return Optional.empty();
    } catch (JacksonException e) {
      if (head.whole()) {
        throw ReportFailures.fromJackson(WHAT, "JSON", e);
      }
      // The head ends inside a value; the full read will say whether the document is sound.
      return Optional.empty();
    }
  }

  private static Optional<SbomFormat> formatShownBy(String key, JsonParser p) {
    return switch (key) {
      case "bomFormat" -> Optional.of(SbomFormat.CYCLONEDX_JSON);
      case "spdxVersion", "SPDXID" -> Optional.of(SbomFormat.SPDX_JSON);
      case "artifacts", "artifactRelationships" -> Optional.of(SbomFormat.SYFT_JSON);
      case "$schema" ->
          p.currentToken() == JsonToken.VALUE_STRING
                  && p.getString().toLowerCase(Locale.ROOT).contains("cyclonedx")
              ? Optional.of(SbomFormat.CYCLONEDX_JSON)
              : Optional.empty();
      default -> Optional.empty();
    };
  }

  private void readStreamed(
      InputStream counted, SbomFormat format, ReportContext ctx, ReportSink sink)
      throws ReportRejected {
    if (ctx.scope() != null) {
      readComponents(counted, format, ctx.scope(), sink);
      return;
    }
    try (SpooledReport copy = SpooledReport.copy(counted, WHAT)) {
      String subject;
      try (InputStream first = copy.open()) {
        subject = subject(first, format);
      }
      try (InputStream second = copy.open()) {
        readComponents(second, format, subject, sink);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read back a copy of " + WHAT, e);
    }
  }

  private void readComponents(
      InputStream counted, SbomFormat format, String source, ReportSink sink)
      throws ReportRejected {
    String list = format == SbomFormat.SYFT_JSON ? "artifacts" : "packages";
    try (JsonParser p = json.openCounted(counted)) {
      startObject(p);
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (list.equals(name) && value == JsonToken.START_ARRAY) {
          while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode item = p.readValueAsTree();
            Optional<Component> component =
                format == SbomFormat.SYFT_JSON
                    ? syftArtifact(item, source)
                    : spdxPackage(item, source);
            component.ifPresent(sink::component);
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

  /** What the document says it describes: Syft's {@code source}, or SPDX's document name. */
  private String subject(InputStream counted, SbomFormat format) throws ReportRejected {
    String subject = null;
    try (JsonParser p = json.openCounted(counted)) {
      startObject(p);
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (format == SbomFormat.SYFT_JSON && "source".equals(name)) {
          subject = syftSource(p.readValueAsTree());
        } else if (format == SbomFormat.SPDX_JSON && "name".equals(name)) {
          subject = p.currentToken() == JsonToken.VALUE_STRING ? p.getString() : null;
        } else {
          p.skipChildren();
        }
      }
      ReportJson.expectEnd(p, WHAT);
    } catch (JacksonException e) {
      throw ReportFailures.fromJackson(WHAT, "JSON", e);
    }
    return subject;
  }

  /** Syft's source: its name (schema 7 on), else the target the user gave (older schemas). */
  private static String syftSource(JsonNode source) {
    String name = text(source, "name");
    if (name != null) {
      return name;
    }
    JsonNode target = source.path("target");
    return target.isObject() ? text(target, "userInput") : text(source, "target");
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

  private static Optional<Component> syftArtifact(JsonNode artifact, String source) {
    String name = text(artifact, "name");
    if (name == null) {
      return Optional.empty();
    }
    String purl = text(artifact, "purl");
    String type = text(artifact, "type");
    return Optional.of(
        new Component(
            source, name, text(artifact, "version"), type != null ? type : purlType(purl), purl));
  }

  private static Optional<Component> spdxPackage(JsonNode pkg, String source) {
    String name = text(pkg, "name");
    String id = text(pkg, "SPDXID");
    if (name == null || (id != null && id.startsWith("SPDXRef-DocumentRoot-"))) {
      return Optional.empty();
    }
    String purl = null;
    for (JsonNode ref : pkg.path("externalRefs").values()) {
      if ("purl".equals(text(ref, "referenceType"))) {
        purl = text(ref, "referenceLocator");
        break;
      }
    }
    return Optional.of(new Component(source, name, text(pkg, "versionInfo"), purlType(purl), purl));
  }

  private static void readCycloneDx(InputStream counted, ReportContext ctx, ReportSink sink)
      throws ReportRejected {
    Bom bom;
    try {
      bom = new org.cyclonedx.parsers.JsonParser().parse(counted);
    } catch (ParseException | RuntimeException e) {
      Optional<LimitedInputStream.LimitExceeded> limit = ReportFailures.limitIn(e);
      if (limit.isPresent()) {
        throw new ReportRejected(WHAT + " " + limit.get().getMessage(), e);
      }
      throw new ReportRejected(
          WHAT + " could not be read as CycloneDX JSON: " + ReportFailures.shorten(rootCause(e)),
          e);
    }
    String source = ctx.scope();
    if (source == null && bom.getMetadata() != null && bom.getMetadata().getComponent() != null) {
      source = bom.getMetadata().getComponent().getName();
    }
    emitCycloneDx(bom.getComponents(), source, sink);
  }

  private static void emitCycloneDx(
      List<org.cyclonedx.model.Component> components, String source, ReportSink sink) {
    if (components == null) {
      return;
    }
    for (org.cyclonedx.model.Component c : components) {
      // The library turns an unknown key inside a component into an empty component.
      if (c != null && c.getName() != null && !c.getName().isBlank()) {
        sink.component(new Component(source, c.getName(), c.getVersion(), typeOf(c), c.getPurl()));
      }
      if (c != null) {
        emitCycloneDx(c.getComponents(), source, sink);
      }
    }
  }

  private static String typeOf(org.cyclonedx.model.Component c) {
    if (c.getProperties() != null) {
      for (Property property : c.getProperties()) {
        if ("syft:package:type".equals(property.getName()) && property.getValue() != null) {
          return property.getValue();
        }
      }
    }
    String fromPurl = purlType(c.getPurl());
    if (fromPurl != null) {
      return fromPurl;
    }
    return c.getType() == null ? null : c.getType().getTypeName();
  }

  /** The type of a package URL ({@code deb} in {@code pkg:deb/debian/bash@5.1}), or null. */
  static String purlType(String purl) {
    if (purl == null) {
      return null;
    }
    Matcher m = PURL_TYPE.matcher(purl);
    return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}
