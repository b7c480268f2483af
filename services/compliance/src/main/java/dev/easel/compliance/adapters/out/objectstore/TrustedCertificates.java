package dev.easel.compliance.adapters.out.objectstore;

import dev.easel.compliance.application.port.ObjectStores.Failure;
import dev.easel.compliance.application.port.ObjectStores.ObjectStoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates a location's {@code caCertificate} names, trusted in place of the JDK's: an
 * operator who gives a private CA for MinIO means that CA, and a public CA signing some other
 * server's certificate for the same name should not be accepted for it.
 */
final class TrustedCertificates {

  private final KeyStore store;

  private TrustedCertificates(KeyStore store) {
    this.store = store;
  }

  /**
   * Reads PEM certificates.
   *
   * @throws ObjectStoreException TLS, when the PEM holds no certificate
   */
  static TrustedCertificates fromPem(String pem) {
    try {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.strip().getBytes(StandardCharsets.US_ASCII)));
      if (certificates.isEmpty()) {
        throw new ObjectStoreException(
            Failure.TLS, "the CA certificate holds no PEM certificate", null);
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      return new TrustedCertificates(store);
    } catch (GeneralSecurityException | IOException e) {
      throw new ObjectStoreException(
          Failure.TLS, "the CA certificate is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  KeyStore keyStore() {
    return store;
  }

  TrustManager[] trustManagers() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot build a trust manager", e);
    }
  }

  SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot build a TLS context", e);
    }
  }
}
