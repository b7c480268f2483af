package dev.easel.clusters.support;

import dev.easel.contracts.nodes.NodeFacts;
import dev.easel.contracts.nodes.NodeRegistered;
import dev.easel.contracts.packs.ProfilePublished;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Events of other services, as they send them, and an SSH key made in the test. */
public final class Events {

  public static final String REGISTERED = "dev.easel.nodes.NodeRegistered.v1";
  public static final String RESERVED = "dev.easel.nodes.NodeReserved.v1";
  public static final String RELEASED = "dev.easel.nodes.NodeReleased.v1";
  public static final String JOINED = "dev.easel.nodes.NodeJoinedCluster.v1";
  public static final String LEFT = "dev.easel.nodes.NodeLeftCluster.v1";
  public static final String UNREACHABLE = "dev.easel.nodes.NodeBecameUnreachable.v1";
  public static final String PUBLISHED = "dev.easel.packs.ProfilePublished.v1";
  public static final String VERSION_DELETED = "dev.easel.packs.ProfileVersionDeleted.v1";

  private Events() {}

  /**
   * A machine as the appliance wants it: 16 CPUs, 32 GiB, a 480 GB OS disk and a 1 TB pool disk,
   * one address in {@code 10.20.0.0/24}.
   */
  public static NodeRegistered registered(UUID id, String hostname, int host, String site) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("site", site);
    labels.put("easel.dev/cores", "16");
    labels.put("easel.dev/platform", "baremetal");
    NodeFacts facts =
        new NodeFacts(
            "baremetal",
            "amd64",
            16,
            32L << 30,
            List.of(
                new NodeFacts.Disk("/dev/sda", 480_000_000_000L, true, "S1" + host),
                new NodeFacts.Disk("/dev/sdb", 1_000_000_000_000L, false, "S2" + host)),
            List.of("10.20.0." + host + "/24"),
            true,
            List.of());
    return new NodeRegistered(
        id,
        "smbios:" + id,
        hostname,
        "baremetal",
        labels,
        false,
        UUID.randomUUID(),
        facts,
        Instant.now());
  }

  /** The appliance's profile, edge-native, with two variables. */
  public static ProfilePublished appliance(String name, String version) {
    return new ProfilePublished(
        name,
        version,
        "the appliance",
        "full",
        "edge-native",
        List.of(
            layer("os", "edge-native-kairos", "1.0.0"),
            layer("k8s", "edge-k8s", "1.32.3"),
            layer("cni", "cni-calico", "3.29.2"),
            layer("csi", "csi-piraeus", "2.8.1")),
        List.of(
            new ProfilePublished.ProfileVariable(
                "site_name",
                "Site",
                null,
                "string",
                true,
                null,
                "[a-z-]+",
                false,
                false,
                false,
                List.of()),
            new ProfilePublished.ProfileVariable(
                "csi_replicas",
                "Replicas",
                null,
                "number",
                false,
                "1",
                null,
                false,
                false,
                false,
                List.of("1", "3"))),
        Instant.now());
  }

  private static ProfilePublished.ResolvedLayer layer(String layer, String name, String version) {
    return new ProfilePublished.ResolvedLayer(
        "pack",
        layer,
        name,
        version,
        "internal",
        "127.0.0.1:15000/spectro-packs/archive/" + name,
        "sha256:" + "ab".repeat(32),
        "pack:\n  namespace: " + name + "\n",
        List.of(),
        List.of(),
        List.of());
  }

  /** A fresh Ed25519 public key as an authorized_keys line. */
  public static String sshKey(String comment) {
    try {
      byte[] x509 =
          KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
      byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
      ByteArrayOutputStream blob = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(blob);
      byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
      out.writeInt(type.length);
      out.write(type);
      out.writeInt(raw.length);
      out.write(raw);
      return "ssh-ed25519 "
          + Base64.getEncoder().encodeToString(blob.toByteArray())
          + " "
          + comment;
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
