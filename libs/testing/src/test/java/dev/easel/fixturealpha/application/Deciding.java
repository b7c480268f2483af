package dev.easel.fixturealpha.application;

/** A fixture: a use case that keeps to its ports. */
public class Deciding {
  public Runnable port;
}
