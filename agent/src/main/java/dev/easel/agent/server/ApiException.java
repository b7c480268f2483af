package dev.easel.agent.server;

/** The server answered with a problem; {@link #type()} is the last segment of its type URI. */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String type;

  public ApiException(int status, String type, String detail) {
    super(status + " " + type + ": " + detail);
    this.status = status;
    this.type = type;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }
}
