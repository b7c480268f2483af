package dev.easel.common.crypto;

import dev.easel.contracts.nodes.RunPlan;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service that sends plans to node-discovery does with their secret files before a {@link
 * RunPlan} leaves: seals them to node-discovery's public key ({@value
 * PlanSecrets#PUBLIC_KEY_FILE_PROPERTY}, ADR 0010). Without a key it sends them as they are, and
 * says so once: an installation that has not made the key pair yet keeps working, and a
 * node-discovery that has a private key refuses such plans.
 */
public final class PlanSealing {

  private static final Logger log = LoggerFactory.getLogger(PlanSealing.class);

  private final PlanSecrets.Sealer sealer;
  private final AtomicBoolean warned = new AtomicBoolean();

  private PlanSealing(PlanSecrets.Sealer sealer) {
    this.sealer = sealer;
  }

  /** Seals to this key. */
  public static PlanSealing with(PlanSecrets.Sealer sealer) {
    return new PlanSealing(sealer);
  }

  /** Sends secret files as they are, with a warning the first time a plan carries some. */
  public static PlanSealing none() {
    return new PlanSealing(null);
  }

  /**
   * From a sender's configuration: the PEM file named by {@value
   * PlanSecrets#PUBLIC_KEY_FILE_PROPERTY}, or no sealing when it is blank.
   *
   * @throws IllegalStateException when the file is named but cannot be read as an RSA public key of
   *     at least {@value PlanSecrets#MIN_KEY_BITS} bits
   */
  public static PlanSealing fromPublicKeyFile(String publicKeyFile) {
    if (publicKeyFile == null || publicKeyFile.isBlank()) {
      return none();
    }
    try {
      return with(PlanSecrets.sealer(PlanSecrets.readPublicKey(Path.of(publicKeyFile.trim()))));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          PlanSecrets.PUBLIC_KEY_FILE_PROPERTY + " " + publicKeyFile + ": " + e.getMessage(), e);
    }
  }

  /** Whether plans leave with their secret files sealed. */
  public boolean seals() {
    return sealer != null;
  }

  /** The plan as it may travel: its secret files sealed, or as they are without a key. */
  public RunPlan seal(RunPlan plan) {
    if (sealer != null) {
      return PlanSecrets.sealed(plan, sealer);
    }
    if (PlanSecrets.carriesClearSecrets(plan) && warned.compareAndSet(false, true)) {
      log.warn(
          "plan {} carries secret files and {} is not set: they travel through Kafka in the"
              + " clear, and a node-discovery with a plan key refuses them (docs/adr/0010)",
          plan.planId(),
          PlanSecrets.PUBLIC_KEY_FILE_PROPERTY);
    }
    return plan;
  }
}
