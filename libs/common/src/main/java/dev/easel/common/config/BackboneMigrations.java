package dev.easel.common.config;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.InitializingBean;

/**
 * Applies the backbone's migrations to schema {@code easel}, with a history table of their own, so
 * they never compete with a service's own migrations for version numbers.
 */
public final class BackboneMigrations implements InitializingBean {

  private final DataSource dataSource;

  public BackboneMigrations(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void afterPropertiesSet() {
    migrate(dataSource);
  }

  /** Migrates a database outside Spring, for benchmarks and tools. */
  public static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .schemas("easel")
        .createSchemas(true)
        .table("backbone_schema_history")
        .locations("classpath:db/easel-backbone")
        .load()
        .migrate();
  }
}
