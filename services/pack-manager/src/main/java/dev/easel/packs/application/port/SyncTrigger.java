package dev.easel.packs.application.port;

/** Wakes the sync schedule, so that a requested sync starts now rather than at the next poll. */
public interface SyncTrigger {

  void wake();
}
