package dev.easel.fixturealpha.domain;

/** A fixture: a domain class that wrongly knows JDBC. */
public class Thing {
  public java.sql.Connection connection;
}
