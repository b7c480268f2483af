package dev.easel.common.identity;

/** A service cannot check the gateway's identity tokens as configured, so it does not start. */
public final class IdentityNotConfigured extends IllegalStateException {

  IdentityNotConfigured(String message) {
    super(message);
  }

  IdentityNotConfigured(String message, Throwable cause) {
    super(message, cause);
  }
}
