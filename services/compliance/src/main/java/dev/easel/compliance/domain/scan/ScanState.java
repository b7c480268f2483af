package dev.easel.compliance.domain.scan;

/** A scan's state, as Palette names them. */
public enum ScanState {
  Initiated,
  InProgress,
  Completed,
  Failed,
  Cancelled;

  public boolean finished() {
    return this == Completed || this == Failed || this == Cancelled;
  }
}
