package dev.easel.nodes.adapters.in.web;

import dev.easel.common.web.BodyLimitFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Refuses an oversized request body before it is buffered. A declared {@code Content-Length} over
 * the path's limit gets a 413 problem at once, with nothing read; a chunked body is read through a
 * counter that stops at the limit, so no reader ever holds more than the limit in memory.
 *
 * <table>
 *   <caption>limits</caption>
 *   <tr><td>{@code /agent/v1/register}, {@code /agent/v1/nodes/{id}/inventory}</td><td>256 KiB:
 *       an inventory is a few kilobytes</td></tr>
 *   <tr><td>{@code /agent/v1/.../result}</td><td>64 KiB: a step's output is cut to 16 KiB</td></tr>
 *   <tr><td>{@code /agent/v1/.../artifacts/{name}}</td><td>{@code easel.nodes.artifacts.max-size},
 *       256 MiB by default: a scan report, streamed to the artifact store, never held</td></tr>
 *   <tr><td>anything else</td><td>64 KiB: tokens and label patches are small</td></tr>
 * </table>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class BodyLimits extends BodyLimitFilter {

  static final int INVENTORY = 256 * 1024;
  static final int RESULT = 64 * 1024;
  static final int DEFAULT = 64 * 1024;

  /** The one path whose body is large; every segment is one, so no id can make another match. */
  private static final Pattern ARTIFACT =
      Pattern.compile("/agent/v1/nodes/[^/]+/plans/[^/]+/steps/[^/]+/artifacts/[^/]+");

  private final long artifactBytes;

  BodyLimits(@Value("${easel.nodes.artifacts.max-size:256MB}") DataSize artifactMaxSize) {
    super(Problems.BASE);
    this.artifactBytes = artifactMaxSize.toBytes();
  }

  @Override
  protected Limit limitFor(HttpServletRequest request) {
    return limitFor(request.getRequestURI());
  }

  Limit limitFor(String path) {
    // First: an artifact may be named "inventory" or "result".
    if (ARTIFACT.matcher(path).matches()) {
      return new Limit(artifactBytes, "artifact-too-large");
    }
    if (path.equals("/agent/v1/register") || path.endsWith("/inventory")) {
      return new Limit(INVENTORY, "inventory-too-large");
    }
    if (path.startsWith("/agent/v1/") && path.endsWith("/result")) {
      return new Limit(RESULT, "result-too-large");
    }
    return new Limit(DEFAULT, "payload-too-large");
  }
}
