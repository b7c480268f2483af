package dev.easel.agent.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** TLS for the agent: the JDK's trusted CAs, plus a private CA the appliance was set up with. */
public final class Tls {

  private Tls() {}

  /**
   * A context that trusts what the JDK trusts and every certificate in the PEM file.
   *
   * @throws IllegalArgumentException when the file holds no certificate it can read
   */
  public static SSLContext trusting(Path caCertificates) {
    try {
      List<Certificate> certs = new ArrayList<>();
      try (InputStream in = Files.newInputStream(caCertificates)) {
        Collection<? extends Certificate> read =
            CertificateFactory.getInstance("X.509").generateCertificates(in);
        certs.addAll(read);
      }
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(caCertificates + " holds no PEM certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < certs.size(); i++) {
        store.setCertificateEntry("easel-ca-" + i, certs.get(i));
      }
      X509TrustManager privateCa = trustManager(store);
      X509TrustManager jdk = trustManager(null);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {either(privateCa, jdk)}, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read a CA certificate from " + caCertificates + ": " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    for (TrustManager tm : f.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  /** Trusts a server that either manager trusts. */
  private static X509TrustManager either(X509TrustManager first, X509TrustManager second) {
    return new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        second.checkClientTrusted(chain, authType);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        try {
          first.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
          second.checkServerTrusted(chain, authType);
        }
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
        all.addAll(List.of(second.getAcceptedIssuers()));
        return all.toArray(X509Certificate[]::new);
      }
    };
  }
}
