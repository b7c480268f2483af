package dev.easel.common.envelope;

/** A message that can never be handled, however often it is retried; it goes to the DLQ. */
public class MalformedEnvelopeException extends RuntimeException {

  public MalformedEnvelopeException(String message) {
    super(message);
  }

  public MalformedEnvelopeException(String message, Throwable cause) {
    super(message, cause);
  }
}
