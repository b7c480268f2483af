package dev.easel.nodes.adapters.in.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

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
class BodyLimits extends OncePerRequestFilter {

  static final int INVENTORY = 256 * 1024;
  static final int RESULT = 64 * 1024;
  static final int DEFAULT = 64 * 1024;

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Limit limit = limitFor(request.getRequestURI());
    long declared = request.getContentLengthLong();
    if (declared > limit.bytes()) {
      refuse(response, declared, limit);
      return;
    }
    chain.doFilter(new Bounded(request, limit), response);
  }

  /** A limit, and the problem type that names what was too large. */
  record Limit(int bytes, String type) {}

  static Limit limitFor(String path) {
    if (path.equals("/agent/v1/register") || path.endsWith("/inventory")) {
      return new Limit(INVENTORY, "inventory-too-large");
    }
    if (path.startsWith("/agent/v1/") && path.endsWith("/result")) {
      return new Limit(RESULT, "result-too-large");
    }
    return new Limit(DEFAULT, "payload-too-large");
  }

  private static void refuse(HttpServletResponse response, long size, Limit limit)
      throws IOException {
    response.setStatus(413);
    response.setContentType("application/problem+json");
    // The rest of the body is not read; the connection is closed rather than drained.
    response.setHeader("Connection", "close");
    response
        .getOutputStream()
        .write(
            ("{\"type\":\""
                    + Problems.BASE
                    + limit.type()
                    + "\",\"title\":\"Content Too Large\","
                    + "\"status\":413,\"detail\":\"the request body is "
                    + (size < 0 ? "larger than" : size + " bytes; at most")
                    + " "
                    + limit.bytes()
                    + " bytes are accepted here\",\"limit\":"
                    + limit.bytes()
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
  }

  /** Thrown by a body read past its limit; answered 413. */
  static final class TooLarge extends RuntimeException {
    final Limit limit;

    TooLarge(Limit limit) {
      super("the request body is larger than " + limit.bytes() + " bytes, the most accepted here");
      this.limit = limit;
    }
  }

  private static final class Bounded extends HttpServletRequestWrapper {
    private final Limit limit;
    private ServletInputStream stream;

    Bounded(HttpServletRequest request, Limit limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public synchronized ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream(), limit);
      }
      return stream;
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final Limit limit;
    private long read;

    Counting(ServletInputStream in, Limit limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > limit.bytes()) {
        throw new TooLarge(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
