package dev.easel.clusters.domain.render;

/** Where the Kubernetes API answers: the VIP on the API server's port. */
final class ApiEndpoint {

  /** The API server's port; kube-vip and provider-kubeadm both assume it. */
  static final int PORT = 6443;

  private ApiEndpoint() {}

  /** {@code host:6443}; an IPv6 address is bracketed, {@code [fd00::10]:6443}. */
  static String hostPort(String vip) {
    boolean ipv6 = vip.indexOf(':') >= 0 && !vip.startsWith("[");
    return (ipv6 ? "[" + vip + "]" : vip) + ":" + PORT;
  }

  /** {@code https://host:6443}. */
  static String url(String vip) {
    return "https://" + hostPort(vip);
  }
}
