package dev.easel.common.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import tools.jackson.core.StreamReadConstraints;

/**
 * Bounds what any JSON reader in a service accepts, before the first one is built: documents of at
 * most 16 MiB, strings of 8 MiB, 100 levels of nesting and numbers of 100 digits. Request bodies
 * have tighter limits of their own; these stop a hostile document that got past them (a message, a
 * stored row) from costing more than that. Jackson takes its defaults from here process-wide; the
 * readers Spring builds have no other setting for it.
 */
public class JsonReadLimits implements EnvironmentPostProcessor, Ordered {

  public static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder()
          .maxDocumentLength(16L << 20)
          .maxStringLength(8 << 20)
          .maxNestingDepth(100)
          .maxNumberLength(100)
          .build();

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    StreamReadConstraints.overrideDefaultStreamReadConstraints(LIMITS);
  }
}
