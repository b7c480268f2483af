package dev.easel.compliance.application.port;

import dev.easel.compliance.domain.scan.Scan;
import dev.easel.compliance.domain.scan.ScanKind;
import java.util.Map;
import java.util.UUID;

/** Starts a scan: what a schedule calls when its time comes. */
public interface ScanStarter {

  /**
   * @param trigger {@code on-demand} or {@code scheduled}
   * @param actor who or what asked
   */
  Scan start(
      UUID clusterId, ScanKind kind, Map<String, String> options, String trigger, String actor);
}
