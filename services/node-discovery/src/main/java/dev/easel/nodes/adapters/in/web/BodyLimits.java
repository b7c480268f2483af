package dev.easel.nodes.adapters.in.web;

import dev.easel.common.web.BodyLimitFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

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
 *   <tr><td>anything else</td><td>64 KiB: tokens and label patches are small</td></tr>
 * </table>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class BodyLimits extends BodyLimitFilter {

  static final int INVENTORY = 256 * 1024;
  static final int RESULT = 64 * 1024;
  static final int DEFAULT = 64 * 1024;

  BodyLimits() {
    super(Problems.BASE);
  }

  @Override
  protected Limit limitFor(HttpServletRequest request) {
    return limitFor(request.getRequestURI());
  }

  static Limit limitFor(String path) {
    if (path.equals("/agent/v1/register") || path.endsWith("/inventory")) {
      return new Limit(INVENTORY, "inventory-too-large");
    }
    if (path.startsWith("/agent/v1/") && path.endsWith("/result")) {
      return new Limit(RESULT, "result-too-large");
    }
    return new Limit(DEFAULT, "payload-too-large");
  }
}
