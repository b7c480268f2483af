package dev.easel.clusters.domain.config;

/**
 * Where the cluster keeps its packs and images: a Zot registry inside the cluster, served on a
 * NodePort of the VIP, or a registry outside it. One record carries both, and {@link #mode} says
 * which fields count. The password is never here; it is stored apart, and {@link #passwordSet} only
 * says whether one was given.
 *
 * @param mode {@code IN_CLUSTER} or {@code EXTERNAL}
 * @param port in-cluster: the NodePort, 30000 to 32767
 * @param basePath the repository path packs are pushed under, such as {@code spectro-content}
 * @param endpoint external: an http or https URL with a host
 * @param caCertificate external: PEM certificates to trust for the endpoint, or null
 * @param username in-cluster: required; external: together with a password, or neither
 * @param passwordSet whether a password was given
 * @param storageGiB in-cluster: the registry's volume, at least 100 GiB
 */
public record RegistryConfig(
    Mode mode,
    Integer port,
    String basePath,
    String endpoint,
    String caCertificate,
    String username,
    boolean passwordSet,
    Integer storageGiB) {

  /** The appliance's defaults (Profile Config, "In Cluster Registry"). */
  public static final int DEFAULT_PORT = 30003;

  public static final String DEFAULT_BASE_PATH = "spectro-content";
  public static final String DEFAULT_USERNAME = "admin";
  public static final int DEFAULT_STORAGE_GIB = 100;
  public static final int MIN_STORAGE_GIB = 100;

  /** Where the registry runs. */
  public enum Mode {
    IN_CLUSTER,
    EXTERNAL
  }

  /** An in-cluster registry with every default filled in and no password yet. */
  public static RegistryConfig inClusterDefaults() {
    return new RegistryConfig(
        Mode.IN_CLUSTER,
        DEFAULT_PORT,
        DEFAULT_BASE_PATH,
        null,
        null,
        DEFAULT_USERNAME,
        false,
        DEFAULT_STORAGE_GIB);
  }

  /**
   * The same settings with the defaults of the mode filled in where a field is null. A missing mode
   * stays missing: guessing it would silently ignore an endpoint that was meant to be used.
   */
  public RegistryConfig withDefaults() {
    if (mode == Mode.IN_CLUSTER) {
      return new RegistryConfig(
          mode,
          port == null ? Integer.valueOf(DEFAULT_PORT) : port,
          basePath == null ? DEFAULT_BASE_PATH : basePath,
          endpoint,
          caCertificate,
          username == null ? DEFAULT_USERNAME : username,
          passwordSet,
          storageGiB == null ? Integer.valueOf(DEFAULT_STORAGE_GIB) : storageGiB);
    }
    if (mode == Mode.EXTERNAL) {
      return new RegistryConfig(
          mode,
          port,
          basePath == null ? DEFAULT_BASE_PATH : basePath,
          endpoint,
          caCertificate,
          username,
          passwordSet,
          storageGiB);
    }
    return this;
  }
}
