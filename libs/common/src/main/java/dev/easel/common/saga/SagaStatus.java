package dev.easel.common.saga;

/** Where a saga stands. The last three are terminal. */
public enum SagaStatus {
  /** Running its steps forward. */
  RUNNING,
  /** A step failed; undoing the completed steps in reverse. */
  COMPENSATING,
  /** Every step succeeded. */
  COMPLETED,
  /** A step failed and every completed step was undone. */
  COMPENSATED,
  /** A compensation kept failing; an operator must look, with the reason recorded. */
  FAILED;

  public boolean isTerminal() {
    return this == COMPLETED || this == COMPENSATED || this == FAILED;
  }
}
