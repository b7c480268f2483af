package dev.easel.nodes.adapters.out.crypto;

import dev.easel.common.crypto.PlanSecrets;
import dev.easel.nodes.application.port.PlanKey;

/**
 * The plan key as {@link PlanSecrets} opens it, or, without a configured private key, none: then
 * secret files sent in the clear are taken as they are, and sealed ones cannot be opened.
 */
public final class RsaPlanKey implements PlanKey {

  private final PlanSecrets.Opener opener;

  private RsaPlanKey(PlanSecrets.Opener opener) {
    this.opener = opener;
  }

  public static RsaPlanKey with(PlanSecrets.Opener opener) {
    return new RsaPlanKey(opener);
  }

  public static RsaPlanKey none() {
    return new RsaPlanKey(null);
  }

  @Override
  public boolean configured() {
    return opener != null;
  }

  @Override
  public boolean isSealed(String value) {
    return PlanSecrets.isSealed(value);
  }

  @Override
  public String open(String planId, String stepId, String path, String sealed) {
    if (opener == null) {
      throw new IllegalStateException(
          "it is sealed, and node-discovery has no plan key to open it ("
              + PlanSecrets.PRIVATE_KEY_FILE_PROPERTY
              + ")");
    }
    return opener.open(planId, stepId, path, sealed);
  }
}
