package dev.easel.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A real PostgreSQL server from zonky's embedded binaries (PostgreSQL 17). Used when Docker is not
 * available, and by the devstack with a data directory that survives restarts.
 *
 * <p>zonky starts the server with {@code -F} (fsync off) and {@code synchronous_commit=off} unless
 * told otherwise. Those are right only for data that is thrown away: {@link #DURABLE} turns them
 * back on, and wherever users keep data, or a benchmark reports a figure, the server runs with it.
 */
public final class PostgresServer implements AutoCloseable {

  /**
   * Settings under which a committed row survives a crash of the process or the machine. The {@code
   * -c fsync=on} that these become follows zonky's {@code -F} on the command line, and PostgreSQL
   * takes the last value given.
   */
  public static final Map<String, String> DURABLE =
      Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on");

  /** Settings for a throwaway server: tests trade durability for speed. */
  public static final Map<String, String> THROWAWAY =
      Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off");

  private final EmbeddedPostgres postgres;

  private PostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts a server.
   *
   * @param dataDir the data directory to keep, or null for a throwaway one
   * @param port the port, or 0 for a free one
   * @param settings server settings such as {@code max_connections}
   */
  public static PostgresServer start(Path dataDir, int port, Map<String, String> settings) {
    try {
      EmbeddedPostgres.Builder b = EmbeddedPostgres.builder();
      if (dataDir != null) {
        b.setDataDirectory(dataDir).setCleanDataDirectory(false);
      }
      if (port != 0) {
        b.setPort(port);
      }
      b.setServerConfig("max_connections", "300");
      settings.forEach(b::setServerConfig);
      return new PostgresServer(b.start());
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not start", e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  /** A server setting as the running server reports it, such as {@code fsync}. */
  public String setting(String name) {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        java.sql.PreparedStatement s = c.prepareStatement("SELECT current_setting(?)")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read setting " + name, e);
    }
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  public String username() {
    return "postgres";
  }

  public String password() {
    return "postgres";
  }

  /** Creates the database unless it exists. */
  public void ensureDatabase(String name) {
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain database name: " + name);
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        if (rs.next()) {
          return;
        }
      }
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
