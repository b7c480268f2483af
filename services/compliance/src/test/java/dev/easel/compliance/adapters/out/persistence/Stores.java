package dev.easel.compliance.adapters.out.persistence;

import dev.easel.compliance.application.port.ClusterReplica;
import dev.easel.compliance.application.port.ScheduleStore;

/** The JDBC adapters, for tests of other packages that run them against a real database. */
public final class Stores {

  private Stores() {}

  public static ScheduleStore schedules(Migrated db) {
    return new JdbcScheduleStore(db.jdbc(), Migrated.JSON);
  }

  public static ClusterReplica clusters(Migrated db) {
    return new JdbcClusterReplica(db.jdbc());
  }
}
