package dev.easel.fixturealpha;

import dev.easel.fixturebeta.Other;

/** A fixture: a service class that wrongly reaches into another service. */
public class UsesBeta {
  public Other other;
}
