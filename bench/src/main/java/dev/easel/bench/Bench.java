package dev.easel.bench;

import java.util.List;
import java.util.Map;

/** Entry point of {@code ./easel bench <name>}. */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> benches =
        Map.of(
            "backbone",
            "outbox, saga and raw Kafka baseline",
            "discovery",
            "10,000 simulated nodes against node-discovery: heartbeats, registration, liveness",
            "packs",
            "pack-manager: a 1 GiB bundle pushed against skopeo, a 5,000-pack sync, profile"
                + " validation",
            "formation",
            "cluster-former and node-discovery: one 3-node formation at a time, then 100 at"
                + " once on 300 simulated nodes",
            "audit",
            "audit: a million events chained from the broker, then the chain verified",
            "gateway",
            "gateway: an authenticated GET through the gateway against the same GET direct, at"
                + " 500/s",
            "compliance",
            "compliance: a 20,000-component SBOM and 50,000 Grype matches parsed and stored, a"
                + " 200 MB artifact through the agent channel against curl, 400 scheduled scans"
                + " due in one minute, a sync of 10,000 Velero backups, one backup's overhead",
            "console",
            "console: the nodes and cluster pages against the API they wrap, with the whole"
                + " stack, 10,000 simulated nodes and clusters forming");
    if (args.length < 1 || !benches.containsKey(args[0])) {
      System.err.println(
          "easel bench: unknown benchmark" + (args.length > 0 ? " '" + args[0] + "'" : ""));
      benches.forEach((k, v) -> System.err.println("  " + k + "  " + v));
      System.exit(2);
    }
    if (args[0].equals("backbone")) {
      new BackboneBench().run(List.of(args).contains("--fast"));
    } else if (args[0].equals("discovery")) {
      new DiscoveryBench().run();
    } else if (args[0].equals("packs")) {
      new PacksBench().run();
    } else if (args[0].equals("formation")) {
      new FormationBench().run();
    } else if (args[0].equals("audit")) {
      new AuditBench().run();
    } else if (args[0].equals("gateway")) {
      new GatewayBench().run();
    } else if (args[0].equals("compliance")) {
      new ComplianceBench(List.of(args).contains("--backups-only")).run();
    } else if (args[0].equals("console")) {
      new ConsoleBench().run();
    }
    System.exit(0);
  }
}
