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
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Azure locations. No Azure emulator runs here, so these show what an operator reads when the
 * endpoint is wrong: the network failure named, a server that is not Azure said to be one, and the
 * account key never quoted.
 */
class AzureObjectStoreTest {

  private static final ObjectStores STORES = new SdkObjectStores();
  private static final String ACCOUNT = "easelbackups";
  private static final String KEY = randomKey();

  @Test
  void unresolvableEndpointIsNamedAsDns() {
    Probe probe = probe(access("https://easelbackups.easel.invalid", KEY, null));

    assertThat(probe.failure()).isEqualTo(Failure.DNS);
    assertThat(probe.message()).isEqualTo("cannot resolve host easelbackups.easel.invalid");
  }

  @Test
  void nothingListeningIsNamedAsConnection() throws IOException {
    String endpoint = "http://127.0.0.1:" + closedPort();
    Probe probe = probe(access(endpoint, KEY, null));

    assertThat(probe.failure()).isEqualTo(Failure.CONNECTION);
    assertThat(probe.message()).startsWith("nothing answers at " + endpoint);
  }

  @Test
  void endpointWithACertificateFromAnUnknownCaIsNamedAsTls() {
    try (RunningS3 https = RunningS3.https()) {
      Probe probe = probe(access(https.endpoint(), KEY, null));

      assertThat(probe.failure()).isEqualTo(Failure.TLS);
      assertThat(probe.message()).startsWith("the endpoint's certificate is not trusted: ");
    }
  }

  @Test
  void serverThatIsNotAzureIsNamedAsSuchOverItsPrivateCa() {
    try (RunningS3 https = RunningS3.https()) {
      Probe probe = probe(access(https.endpoint(), KEY, https.caCertificatePem()));

      assertThat(probe.failure()).isNotIn(Failure.TLS, Failure.DNS, Failure.CONNECTION);
      assertThat(probe.message())
          .contains(https.endpoint())
          .contains("does not answer as Azure Blob Storage does");
    }
  }

  @Test
  void accountKeyThatIsNotBase64IsNamedAsCredentialsWithoutQuotingIt() {
    String notBase64 = "not a base64 key!";
    Probe probe = probe(access(RunningS3.shared().endpoint(), notBase64, null));

    assertThat(probe.failure()).isEqualTo(Failure.CREDENTIALS);
    assertThat(probe.message())
        .isEqualTo("the storage account key is not base64")
        .doesNotContain(notBase64);
  }

  @Test
  void defaultEndpointIsTheAccountsAndNeitherStoreNorAccessQuotesTheKey() {
    Access access = access(null, KEY, null);
    try (ObjectStore store = STORES.open(access)) {
      assertThat(store.toString())
          .contains("https://easelbackups.blob.core.windows.net")
          .doesNotContain(KEY);
      assertThat(access.toString()).doesNotContain(KEY);
    }
  }

  private static Probe probe(Access access) {
    try (ObjectStore store = STORES.open(access)) {
      Probe probe = store.probe();
      assertThat(probe.message()).isNotNull().doesNotContain(KEY);
      return probe;
    }
  }

  private static Access access(String endpoint, String key, String ca) {
    return new Access(
        Provider.AZURE,
        "velero",
        "cluster-a",
        "",
        endpoint,
        false,
        ca,
        new Credentials.AzureKey(ACCOUNT, key));
  }

  private static String randomKey() {
    byte[] key = new byte[64];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
