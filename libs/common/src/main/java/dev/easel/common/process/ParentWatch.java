package dev.easel.common.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends this service when the process that started it is gone. The devstack starts every service
 * with {@code --easel.parent-pid}; if the devstack is killed outright it cannot stop its children,
 * and a service left running would keep its port and answer for a database that may be gone.
 */
public final class ParentWatch {

  private static final Logger log = LoggerFactory.getLogger(ParentWatch.class);

  private final long parentPid;

  private ParentWatch(long parentPid) {
    this.parentPid = parentPid;
  }

  /** Exits the JVM, through its shutdown hooks, once the parent has ended (or now, if it has). */
  public static ParentWatch exitWith(long parentPid) {
    ProcessHandle.of(parentPid)
        .filter(ProcessHandle::isAlive)
        .ifPresentOrElse(
            parent -> parent.onExit().thenRun(() -> exit(parentPid)), () -> exit(parentPid));
    return new ParentWatch(parentPid);
  }

  public long parentPid() {
    return parentPid;
  }

  private static void exit(long parentPid) {
    log.warn("parent process {} is gone; stopping", parentPid);
    // System.exit waits for the shutdown hooks; call it from a thread nothing else waits on.
    Thread t = new Thread(() -> System.exit(0), "easel-parent-gone");
    t.setDaemon(true);
    t.start();
  }
}
