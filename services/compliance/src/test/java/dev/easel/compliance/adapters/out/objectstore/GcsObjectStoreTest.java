package dev.easel.compliance.adapters.out.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.compliance.application.port.ObjectStores;
import dev.easel.compliance.application.port.ObjectStores.Access;
import dev.easel.compliance.application.port.ObjectStores.Failure;
import dev.easel.compliance.application.port.ObjectStores.ObjectStore;
import dev.easel.compliance.application.port.ObjectStores.Probe;
import dev.easel.compliance.domain.backup.Credentials;
import dev.easel.compliance.domain.backup.Provider;
import dev.easel.testing.RunningS3;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * GCS locations. No GCS emulator runs here, so these show what an operator reads when the endpoint
 * or its token server is not what the key file says: the network failure named, a private CA
 * trusted for the token exchange too, and the key never quoted.
 */
class GcsObjectStoreTest {

  private static final ObjectStores STORES = new SdkObjectStores();

  /** A real PKCS#8 RSA key: the client parses it before it connects. */
  private static final String PRIVATE_KEY_BASE64 = rsaKey();

  @Test
  void unresolvableEndpointIsNamedAsDns() {
    Probe probe =
        probe("https://storage.easel.invalid", "https://storage.easel.invalid/token", null);

    assertThat(probe.failure()).isEqualTo(Failure.DNS);
    assertThat(probe.message()).startsWith("cannot resolve host storage.easel.invalid");
  }

  @Test
  void nothingListeningIsNamedAsConnection() throws IOException {
    String endpoint = "http://127.0.0.1:" + closedPort();
    Probe probe = probe(endpoint, endpoint + "/token", null);

    assertThat(probe.failure()).isEqualTo(Failure.CONNECTION);
    assertThat(probe.message()).startsWith("nothing answers at " + endpoint + "/token");
  }

  @Test
  void endpointWithACertificateFromAnUnknownCaIsNamedAsTls() {
    try (RunningS3 https = RunningS3.https()) {
      Probe probe = probe(https.endpoint(), https.endpoint() + "/token", null);

      assertThat(probe.failure()).isEqualTo(Failure.TLS);
      assertThat(probe.message()).startsWith("the endpoint's certificate is not trusted: ");
    }
  }

  @Test
  void privateCaIsTrustedForTheTokenExchangeToo() {
    try (RunningS3 https = RunningS3.https()) {
      // An S3 server, not Google's token server: TLS succeeds, the token request is refused.
      Probe probe = probe(https.endpoint(), https.endpoint() + "/token", https.caCertificatePem());

      assertThat(probe.failure()).isEqualTo(Failure.CREDENTIALS);
      assertThat(probe.message())
          .startsWith(
              "the service account could not get an access token from "
                  + https.endpoint()
                  + "/token");
    }
  }

  @Test
  void serverThatIsNotGoogleIsNamedAsRefusingTheServiceAccount() {
    String endpoint = RunningS3.shared().endpoint();
    Probe probe = probe(endpoint, endpoint + "/token", null);

    assertThat(probe.failure()).isEqualTo(Failure.CREDENTIALS);
    assertThat(probe.message()).contains(endpoint);
  }

  @Test
  void keyFileWithoutItsFieldsIsNamedAsCredentialsWithoutQuotingIt() {
    String json = "{\"type\":\"service_account\",\"private_key\":\"" + PRIVATE_KEY_BASE64 + "\"}";
    Probe probe = probe(access("http://127.0.0.1:1", json, null));

    assertThat(probe.failure()).isEqualTo(Failure.CREDENTIALS);
    assertThat(probe.message()).startsWith("the service account key is not a usable JSON key file");
  }

  @Test
  void neitherTheStoreNorItsAccessQuotesTheKey() {
    Access access = access(null, keyFile("https://oauth2.googleapis.com/token"), null);
    try (ObjectStore store = STORES.open(access)) {
      assertThat(store.toString())
          .contains("Google Cloud Storage")
          .doesNotContain(PRIVATE_KEY_BASE64.substring(0, 40));
      assertThat(access.toString()).doesNotContain(PRIVATE_KEY_BASE64.substring(0, 40));
    }
  }

  private static Probe probe(String endpoint, String tokenUri, String ca) {
    return probe(access(endpoint, keyFile(tokenUri), ca));
  }

  private static Probe probe(Access access) {
    try (ObjectStore store = STORES.open(access)) {
      Probe probe = store.probe();
      assertThat(probe.message()).isNotNull();
      for (String line : PRIVATE_KEY_BASE64.split("\n")) {
        assertThat(probe.message()).doesNotContain(line);
      }
      return probe;
    }
  }

  private static Access access(String endpoint, String json, String ca) {
    return new Access(
        Provider.GCS,
        "velero-backups",
        "cluster-a",
        "",
        endpoint,
        false,
        ca,
        new Credentials.ServiceAccount(json));
  }

  /** A service account key file whose token server is {@code tokenUri}. */
  private static String keyFile(String tokenUri) {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n" + PRIVATE_KEY_BASE64 + "\n-----END PRIVATE KEY-----\n";
    return """
        {
          "type": "service_account",
          "project_id": "easel-test",
          "private_key_id": "0123456789abcdef",
          "private_key": "%s",
          "client_email": "velero@easel-test.iam.gserviceaccount.com",
          "client_id": "1234567890",
          "token_uri": "%s"
        }
        """
        .formatted(pem.replace("\n", "\\n"), tokenUri);
  }

  private static String rsaKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
      return Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
          .encodeToString(der);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
