package dev.easel.testing;

import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database on the shared PostgreSQL server.
 *
 * @param name the database name
 * @param jdbcUrl its JDBC URL
 * @param username the user
 * @param password the password
 */
public record TestDatabase(String name, String jdbcUrl, String username, String password) {

  /** A non-pooled data source, for tests that talk SQL directly. */
  public DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(jdbcUrl);
    ds.setUser(username);
    ds.setPassword(password);
    return ds;
  }

  /** Spring Boot properties that point a service at this database. */
  public Map<String, Object> springProperties() {
    return Map.of(
        "spring.datasource.url", jdbcUrl,
        "spring.datasource.username", username,
        "spring.datasource.password", password);
  }
}
