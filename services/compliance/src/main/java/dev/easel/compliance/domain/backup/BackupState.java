package dev.easel.compliance.domain.backup;

/**
 * A backup's or restore's state: Velero's phases, with the passing ones folded into the phase they
 * lead to. The phase Velero gave last is kept beside it.
 */
public enum BackupState {
  New,
  InProgress,
  Completed,
  PartiallyFailed,
  Failed;

  public boolean finished() {
    return this == Completed || this == PartiallyFailed || this == Failed;
  }

  /** Whether what it made can be used: Completed, or PartiallyFailed with errors. */
  public boolean usable() {
    return this == Completed || this == PartiallyFailed;
  }

  /**
   * The state of one of Velero's phases (Backup's or Restore's): New, Queued and ReadyToStart are
   * New; WaitingForPluginOperations, Finalizing and their PartiallyFailed forms are InProgress;
   * FailedValidation is Failed. An unknown phase is InProgress: Velero is still at work.
   */
  public static BackupState ofPhase(String phase) {
    if (phase == null || phase.isBlank()) {
      return New;
    }
    return switch (phase) {
      case "New", "Queued", "ReadyToStart" -> New;
      case "Completed" -> Completed;
      case "PartiallyFailed" -> PartiallyFailed;
      case "Failed", "FailedValidation" -> Failed;
      default -> InProgress;
    };
  }
}
