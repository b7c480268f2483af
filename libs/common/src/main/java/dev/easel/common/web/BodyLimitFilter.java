package dev.easel.common.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses an oversized request body before it is buffered. A declared {@code Content-Length} over
 * the request's limit gets a 413 problem at once, with nothing read; a chunked body is read through
 * a counter that stops at the limit (with {@link TooLarge}, which a service answers 413), so no
 * reader ever holds more than the limit in memory. A service says which limit applies to which
 * request.
 */
public abstract class BodyLimitFilter extends OncePerRequestFilter {

  /**
   * A limit, and the problem type that names what was too large.
   *
   * @param type the last segment of the problem's type URI
   */
  public record Limit(long bytes, String type) {}

  private final String problemBase;

  /**
   * @param problemBase the prefix of problem type URIs, ending in {@code /}
   */
  protected BodyLimitFilter(String problemBase) {
    this.problemBase = problemBase;
  }

  /** The limit of a request, or null when its handler bounds the body itself. */
  protected abstract Limit limitFor(HttpServletRequest request);

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Limit limit = limitFor(request);
    if (limit == null) {
      chain.doFilter(request, response);
      return;
    }
    long declared = request.getContentLengthLong();
    if (declared > limit.bytes()) {
      refuse(response, declared, limit);
      return;
    }
    chain.doFilter(new Bounded(request, limit), response);
  }

  private void refuse(HttpServletResponse response, long size, Limit limit) throws IOException {
    response.setStatus(413);
    response.setContentType("application/problem+json");
    // The rest of the body is not read; the connection is closed rather than drained.
    response.setHeader("Connection", "close");
    response
        .getOutputStream()
        .write(
            ("{\"type\":\""
                    + problemBase
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

  /** Thrown by a body read past its limit; a service answers it with 413. */
  public static final class TooLarge extends RuntimeException {
    private final Limit limit;

    public TooLarge(Limit limit) {
      super("the request body is larger than " + limit.bytes() + " bytes, the most accepted here");
      this.limit = limit;
    }

    public Limit limit() {
      return limit;
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
