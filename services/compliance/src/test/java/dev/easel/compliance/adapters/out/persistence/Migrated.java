package dev.easel.compliance.adapters.out.persistence;

import dev.easel.testing.Infrastructure;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fresh database on the shared PostgreSQL with the service's own migrations, as Spring Boot's
 * Flyway applies them at start. The backbone's tables (schema {@code easel}, a history of their
 * own) are not needed by these adapters.
 */
public record Migrated(DataSource dataSource, JdbcTemplate jdbc, TransactionTemplate tx) {

  public static final ObjectMapper JSON = JsonMapper.builder().build();

  public static Migrated database(String hint) {
    DataSource ds = Infrastructure.get().newDatabase(hint).dataSource();
    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    return new Migrated(
        ds, new JdbcTemplate(ds), new TransactionTemplate(new DataSourceTransactionManager(ds)));
  }
}
