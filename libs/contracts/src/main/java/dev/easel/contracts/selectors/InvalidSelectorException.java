package dev.easel.contracts.selectors;

/** A selector that cannot be parsed; the position is a zero-based character offset. */
public final class InvalidSelectorException extends RuntimeException {

  private final int position;

  public InvalidSelectorException(String message, int position) {
    super(message + " (at character " + (position + 1) + ")");
    this.position = position;
  }

  public int position() {
    return position;
  }
}
