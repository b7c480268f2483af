package dev.easel.fixturealpha.application;

/** A fixture: a use case that wrongly runs SQL itself instead of calling a port. */
public class Storing {
  public javax.sql.DataSource dataSource;
  public java.sql.Timestamp at;
}
