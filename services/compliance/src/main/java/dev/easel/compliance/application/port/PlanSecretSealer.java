package dev.easel.compliance.application.port;

/**
 * Seals a plan step's secret file for node-discovery alone, so that what travels on Kafka cannot be
 * read by anyone else; bound to the plan, step and path.
 */
@FunctionalInterface
public interface PlanSecretSealer {

  String seal(String planId, String stepId, String path, String content);
}
