package dev.easel.common.outbox;

/** Lets the outbox wake a relay that runs in the same process. */
public interface RelayWakeup {

  /** Whether a relay in this process is the leader, so that waking it locally is enough. */
  boolean isLeader();

  /** Wakes the local relay; called after the appending transaction committed. */
  void wake();

  /** No relay in this process: every append notifies through PostgreSQL. */
  RelayWakeup NONE =
      new RelayWakeup() {
        @Override
        public boolean isLeader() {
          return false;
        }

        @Override
        public void wake() {}
      };
}
