package dev.easel.compliance.adapters.out.objectstore;

import dev.easel.compliance.application.port.ObjectStores.Failure;
import dev.easel.compliance.application.port.ObjectStores.ObjectStoreException;
import dev.easel.compliance.application.port.ObjectStores.Probe;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * A failure with what an operator should read about it. Each SDK throws its own exceptions, but a
 * network failure looks the same in all of them once the cause chain is walked, so that part is
 * diagnosed here once; the service's own refusals are each store's to name.
 */
record Diagnosis(Failure failure, String message) {

  Probe probe() {
    return new Probe(failure, message);
  }

  ObjectStoreException exception(Throwable cause) {
    return new ObjectStoreException(failure, message, cause);
  }

  /** This diagnosis with every secret in its message replaced by {@code ***}. */
  Diagnosis redacted(List<String> secrets) {
    return new Diagnosis(failure, redact(message, secrets));
  }

  /**
   * DNS, TLS or CONNECTION when the chain shows the network failed before the service answered.
   *
   * @param where the endpoint, for the operator
   * @param host the endpoint's host, named when the resolver does not say which name failed
   */
  static Optional<Diagnosis> network(Throwable thrown, String where, String host) {
    List<Throwable> chain = chain(thrown);
    for (Throwable t : chain) {
      if (t instanceof UnknownHostException) {
        return Optional.of(new Diagnosis(Failure.DNS, "cannot resolve host " + hostOf(t, host)));
      }
      if (t instanceof UnresolvedAddressException) {
        return Optional.of(new Diagnosis(Failure.DNS, "cannot resolve host " + host));
      }
    }
    for (Throwable t : chain) {
      if (t instanceof SSLException
          || t instanceof CertPathValidatorException
          || t instanceof CertPathBuilderException
          || t instanceof CertificateException) {
        return Optional.of(
            new Diagnosis(
                Failure.TLS,
                certificateProblem(chain)
                    ? "the endpoint's certificate is not trusted: " + deepestMessage(t)
                    : "the TLS handshake with " + where + " failed: " + deepestMessage(t)));
      }
    }
    for (Throwable t : chain) {
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return Optional.of(
            new Diagnosis(
                Failure.CONNECTION,
                "nothing answers at "
                    + where
                    + ": "
                    + (hasMessage(chain(t)) ? deepestMessage(t) : "connection refused")));
      }
      if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException) {
        return Optional.of(timedOut(where));
      }
    }
    for (Throwable t : chain) {
      if (t instanceof SocketException) {
        return Optional.of(
            new Diagnosis(Failure.CONNECTION, where + " stopped answering: " + deepestMessage(t)));
      }
    }
    return Optional.empty();
  }

  static Diagnosis timedOut(String where) {
    return new Diagnosis(Failure.CONNECTION, where + " did not answer in time");
  }

  /** Every cause from {@code thrown} down, each once. */
  static List<Throwable> chain(Throwable thrown) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  /** The first exception of type {@code type} in the chain. */
  static <T extends Throwable> Optional<T> find(Throwable thrown, Class<T> type) {
    for (Throwable t : chain(thrown)) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  /** The message of the deepest cause that has one: the most specific reason. */
  static String deepestMessage(Throwable thrown) {
    String message = null;
    for (Throwable t : chain(thrown)) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message == null ? thrown.getClass().getSimpleName() : firstLine(message);
  }

  static String firstLine(String s) {
    int newline = s.indexOf('\n');
    return (newline < 0 ? s : s.substring(0, newline)).strip();
  }

  static String redact(String text, List<String> secrets) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isBlank()) {
        out = out.replace(secret, "***");
      }
    }
    return out;
  }

  private static boolean hasMessage(List<Throwable> chain) {
    for (Throwable t : chain) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return true;
      }
    }
    return false;
  }

  private static boolean certificateProblem(List<Throwable> chain) {
    for (Throwable t : chain) {
      if (t instanceof CertificateException
          || t instanceof CertPathValidatorException
          || t instanceof CertPathBuilderException
          || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
        return true;
      }
    }
    return false;
  }

  /** An UnknownHostException names the host, sometimes followed by the resolver's reason. */
  private static String hostOf(Throwable unknownHost, String fallback) {
    String m = unknownHost.getMessage();
    if (m == null || m.isBlank()) {
      return fallback;
    }
    int colon = m.indexOf(':');
    return (colon < 0 ? m : m.substring(0, colon)).strip();
  }
}
