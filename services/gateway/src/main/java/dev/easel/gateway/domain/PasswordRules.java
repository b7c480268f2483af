package dev.easel.gateway.domain;

import java.util.ArrayList;
import java.util.List;

/** What a new password must be. Length beats composition rules (NIST SP 800-63B). */
public final class PasswordRules {

  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 256;

  private PasswordRules() {}

  /** The problems with a password for this user; empty when it is acceptable. */
  public static List<String> problems(String user, String password) {
    List<String> out = new ArrayList<>();
    if (password == null || password.length() < MIN_LENGTH) {
      out.add("must be at least " + MIN_LENGTH + " characters");
      return out;
    }
    if (password.length() > MAX_LENGTH) {
      out.add("must be at most " + MAX_LENGTH + " characters");
    }
    if (password.equalsIgnoreCase(user)) {
      out.add("must not be the user's name");
    }
    if (password.chars().distinct().count() < 4) {
      out.add("must not repeat so few characters");
    }
    return out;
  }
}
