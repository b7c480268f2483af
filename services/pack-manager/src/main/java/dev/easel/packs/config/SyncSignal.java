package dev.easel.packs.config;

import dev.easel.packs.application.port.SyncTrigger;
import org.springframework.stereotype.Component;

/**
 * The wake-up line from use cases to the sync schedule. It stands apart from the schedule, which
 * itself needs the use cases, so that neither waits for the other to exist.
 */
@Component
class SyncSignal implements SyncTrigger {

  private volatile Runnable listener = () -> {};

  void listen(Runnable r) {
    listener = r;
  }

  @Override
  public void wake() {
    listener.run();
  }
}
