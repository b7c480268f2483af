package dev.easel.common.identity;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says, in place of a stack trace, why a service without the gateway's keys did not start. */
public class IdentityFailureAnalyzer extends AbstractFailureAnalyzer<IdentityNotConfigured> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, IdentityNotConfigured cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Set "
            + GatewayIdentity.JWKS_URI_PROPERTY
            + " to the gateway's JWK Set, for example --"
            + GatewayIdentity.JWKS_URI_PROPERTY
            + "=http://127.0.0.1:8080"
            + GatewayIdentity.JWKS_PATH
            + ".",
        cause);
  }
}
