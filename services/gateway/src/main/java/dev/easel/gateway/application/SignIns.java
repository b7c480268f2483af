package dev.easel.gateway.application;

import dev.easel.gateway.application.port.OperatorStore;
import dev.easel.gateway.application.port.ThrottleStore;
import dev.easel.gateway.application.port.ThrottleStore.Kind;
import dev.easel.gateway.domain.LoginBackoff;
import dev.easel.gateway.domain.LoginBackoff.Attempts;
import dev.easel.gateway.domain.Operator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signing in with a password, with a backoff per user and per address after failures. While either
 * is blocked the password is not even checked, so guessing costs the guesser time and the gateway
 * nothing.
 */
@Service
public class SignIns {

  /** The outcome. */
  public sealed interface Outcome permits Accepted, Refused, Throttled {}

  public record Accepted(Operator operator) implements Outcome {}

  public record Refused() implements Outcome {}

  public record Throttled(Duration retryAfter) implements Outcome {}

  /** A hash of nothing in particular, so unknown users cost the same time as known ones. */
  private final String decoy;

  private final OperatorStore operators;
  private final ThrottleStore throttle;
  private final PasswordEncoder encoder;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final LoginBackoff perUser;
  private final LoginBackoff perAddress;

  public SignIns(
      OperatorStore operators,
      ThrottleStore throttle,
      PasswordEncoder encoder,
      TransactionTemplate tx,
      Clock clock,
      LoginBackoff perUserBackoff,
      LoginBackoff perAddressBackoff) {
    this.operators = operators;
    this.throttle = throttle;
    this.encoder = encoder;
    this.tx = tx;
    this.clock = clock;
    this.perUser = perUserBackoff;
    this.perAddress = perAddressBackoff;
    this.decoy = encoder.encode("decoy-password-never-used");
  }

  public Outcome signIn(String name, String password, String address) {
    String user = name == null ? "" : name.trim();
    Instant now = clock.instant();
    Duration wait = blockedFor(user, address, now);
    if (!wait.isZero()) {
      return new Throttled(wait);
    }
    Optional<Operator> found = user.isEmpty() ? Optional.empty() : operators.find(user);
    boolean ok;
    if (found.isPresent() && found.get().passwordHash() != null && !found.get().disabled()) {
      ok = password != null && encoder.matches(password, found.get().passwordHash());
    } else {
      encoder.matches(password == null ? "" : password, decoy);
      ok = false;
    }
    if (ok) {
      tx.executeWithoutResult(s -> throttle.clear(Kind.USER, user));
      return new Accepted(found.get());
    }
    Instant at = clock.instant();
    // This failure is answered as a refusal; the backoff it starts applies to the next attempt.
    tx.executeWithoutResult(
        s -> {
          Attempts u = perUser.afterFailure(throttle.lockAndGet(Kind.USER, user), at);
          Attempts a = perAddress.afterFailure(throttle.lockAndGet(Kind.ADDRESS, address), at);
          throttle.put(Kind.USER, user, u);
          throttle.put(Kind.ADDRESS, address, a);
        });
    return new Refused();
  }

  private Duration blockedFor(String user, String address, Instant now) {
    Duration longest = Duration.ZERO;
    for (Attempts a :
        new Attempts[] {throttle.get(Kind.USER, user), throttle.get(Kind.ADDRESS, address)}) {
      if (a.blockedAt(now)) {
        Duration d = Duration.between(now, a.blockedUntil());
        if (d.compareTo(longest) > 0) {
          longest = d;
        }
      }
    }
    return longest;
  }
}
