package dev.easel.gateway.application;

import dev.easel.contracts.api.Role;
import dev.easel.gateway.application.port.OperatorStore;
import dev.easel.gateway.domain.Operator;
import dev.easel.gateway.domain.PasswordRules;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Operators: the first admin, accounts managed by admins, and one's own password. */
@Service
public class Operators {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
  private static final char[] ALPHABET =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

  private final OperatorStore store;
  private final PasswordEncoder encoder;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public Operators(OperatorStore store, PasswordEncoder encoder, Clock clock) {
    this.store = store;
    this.encoder = encoder;
    this.clock = clock;
  }

  /** A request that changes nothing, with every problem by field. */
  public static final class Invalid extends RuntimeException {
    private final Map<String, String> problems;

    public Invalid(Map<String, String> problems) {
      super("invalid: " + problems);
      this.problems = Map.copyOf(problems);
    }

    public Map<String, String> problems() {
      return problems;
    }
  }

  /** A change refused by the state of things: a taken name, the last admin. */
  public static final class Conflict extends RuntimeException {
    private final String type;

    public Conflict(String type, String message) {
      super(message);
      this.type = type;
    }

    public String type() {
      return type;
    }
  }

  /**
   * On the very first start, an {@code admin} with a random password that must be changed at the
   * first sign-in.
   *
   * @return the password, once; empty when there are operators already
   */
  @Transactional
  public Optional<String> bootstrap() {
    store.lockAll();
    if (store.count() > 0) {
      return Optional.empty();
    }
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 24; i++) {
      if (i > 0 && i % 6 == 0) {
        password.append('-');
      }
      password.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    Instant now = clock.instant();
    store.insert(
        new Operator(
            "admin", encoder.encode(password), Role.ADMIN, true, false, Operator.LOCAL, now, now));
    return Optional.of(password.toString());
  }

  @Transactional(readOnly = true)
  public Optional<Operator> find(String name) {
    return store.find(name);
  }

  @Transactional(readOnly = true)
  public List<Operator> all() {
    return store.all();
  }

  @Transactional
  public Operator create(String name, String password, String role) {
    Map<String, String> problems = new LinkedHashMap<>();
    if (name == null || !NAME.matcher(name).matches()) {
      problems.put(
          "name",
          "must be 1 to 64 of a-z, 0-9, '.', '_', '@' or '-', starting with a letter or digit");
    }
    Optional<Role> r = Role.of(role);
    if (r.isEmpty()) {
      problems.put("role", "must be viewer, operator or admin");
    }
    List<String> weak = PasswordRules.problems(name, password);
    if (!weak.isEmpty()) {
      problems.put("password", String.join("; ", weak));
    }
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    Instant now = clock.instant();
    // A password set by an admin is the admin's secret too: the user replaces it at first sign-in.
    Operator created =
        new Operator(
            name, encoder.encode(password), r.get(), true, false, Operator.LOCAL, now, now);
    if (!store.insert(created)) {
      throw new Conflict("operator-exists", "an operator named '" + name + "' exists already");
    }
    return created;
  }

  @Transactional
  public Operator update(String name, String role, Boolean disabled) {
    store.lockAll();
    Operator o = store.find(name).orElseThrow(() -> new NotFound("no operator named " + name));
    Map<String, String> problems = new LinkedHashMap<>();
    Role newRole = o.role();
    if (role != null) {
      Optional<Role> r = Role.of(role);
      if (r.isEmpty()) {
        problems.put("role", "must be viewer, operator or admin");
      } else {
        newRole = r.get();
      }
    }
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    boolean newDisabled = disabled != null ? disabled : o.disabled();
    boolean losesAdmin =
        o.role() == Role.ADMIN && !o.disabled() && (newRole != Role.ADMIN || newDisabled);
    if (losesAdmin && store.activeAdmins() <= 1) {
      throw new Conflict("last-admin", "'" + name + "' is the last active admin");
    }
    Operator updated =
        new Operator(
            o.name(),
            o.passwordHash(),
            newRole,
            o.mustChangePassword(),
            newDisabled,
            o.source(),
            o.createdAt(),
            clock.instant());
    store.update(updated);
    return updated;
  }

  @Transactional
  public void delete(String name) {
    store.lockAll();
    Operator o = store.find(name).orElseThrow(() -> new NotFound("no operator named " + name));
    if (o.role() == Role.ADMIN && !o.disabled() && store.activeAdmins() <= 1) {
      throw new Conflict("last-admin", "'" + name + "' is the last active admin");
    }
    store.delete(name);
  }

  /** One's own password: the current one proves it is them, the new one must be acceptable. */
  @Transactional
  public Operator changePassword(String name, String current, String replacement) {
    Operator o = store.find(name).orElseThrow(() -> new NotFound("no operator named " + name));
    Map<String, String> problems = new LinkedHashMap<>();
    if (o.passwordHash() == null) {
      throw new Conflict("no-local-password", "'" + name + "' signs in through OIDC");
    }
    if (current == null || !encoder.matches(current, o.passwordHash())) {
      problems.put("currentPassword", "is not the current password");
    }
    List<String> weak = PasswordRules.problems(name, replacement);
    if (!weak.isEmpty()) {
      problems.put("newPassword", String.join("; ", weak));
    } else if (current != null && current.equals(replacement)) {
      problems.put("newPassword", "must differ from the current password");
    }
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    Operator updated =
        new Operator(
            o.name(),
            encoder.encode(replacement),
            o.role(),
            false,
            o.disabled(),
            o.source(),
            o.createdAt(),
            clock.instant());
    store.update(updated);
    return updated;
  }

  /**
   * An operator who signed in through OIDC: created on first sign-in, their role following the
   * provider's claims at every sign-in.
   */
  @Transactional
  public Operator signedInThroughOidc(String name, Role role) {
    Instant now = clock.instant();
    Optional<Operator> existing = store.find(name);
    if (existing.isPresent()) {
      Operator o = existing.get();
      if (!Operator.OIDC.equals(o.source())) {
        throw new Conflict(
            "operator-exists", "'" + name + "' is a local operator; OIDC may not take it over");
      }
      Operator updated =
          new Operator(o.name(), null, role, false, o.disabled(), o.source(), o.createdAt(), now);
      store.update(updated);
      return updated;
    }
    Operator created = new Operator(name, null, role, false, false, Operator.OIDC, now, now);
    store.insert(created);
    return created;
  }

  /** Nothing by that name or id. */
  public static final class NotFound extends RuntimeException {
    public NotFound(String message) {
      super(message);
    }
  }
}
