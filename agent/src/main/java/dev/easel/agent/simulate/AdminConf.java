package dev.easel.agent.simulate;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * A plausible {@code /etc/kubernetes/admin.conf}, as kubeadm writes it: the cluster's CA, the API
 * server's URL and an admin's client certificate and key. The certificates are random bytes in PEM
 * armour: they look the part and parse as base64, and authenticate nobody.
 */
final class AdminConf {

  static final String CLUSTER = "kubernetes";
  static final String USER = "kubernetes-admin";
  static final String CONTEXT = USER + "@" + CLUSTER;

  private AdminConf() {}

  /**
   * @param server the API server's URL, as {@code https://10.0.0.5:6443}
   * @param vip the cluster's control-plane host
   */
  static String render(String server, String vip, Random random) {
    // The CA is the cluster's: seeded by the VIP, so every member shows the same one.
    Random clusterRandom = new Random(vip.hashCode());
    return """
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: %s
            server: %s
          name: %s
        contexts:
        - context:
            cluster: %s
            user: %s
          name: %s
        current-context: %s
        kind: Config
        preferences: {}
        users:
        - name: %s
          user:
            client-certificate-data: %s
            client-key-data: %s
        """
        .formatted(
            pem("CERTIFICATE", 760, clusterRandom),
            server,
            CLUSTER,
            CLUSTER,
            USER,
            CONTEXT,
            CONTEXT,
            USER,
            pem("CERTIFICATE", 800, random),
            pem("RSA PRIVATE KEY", 1190, random));
  }

  /** Base64 of a PEM block of {@code bytes} random bytes, as kubeconfig embeds one. */
  private static String pem(String type, int bytes, Random random) {
    byte[] body = new byte[bytes];
    random.nextBytes(body);
    String armoured =
        "-----BEGIN "
            + type
            + "-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(body)
            + "\n-----END "
            + type
            + "-----\n";
    return Base64.getEncoder().encodeToString(armoured.getBytes(StandardCharsets.US_ASCII));
  }
}
