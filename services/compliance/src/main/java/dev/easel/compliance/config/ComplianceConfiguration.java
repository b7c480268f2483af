package dev.easel.compliance.config;

import dev.easel.common.process.PeriodicTask;
import dev.easel.compliance.application.ConformanceSteps;
import dev.easel.compliance.application.FeaturePacks;
import dev.easel.compliance.application.ReportIngest;
import dev.easel.compliance.application.Scans;
import dev.easel.compliance.domain.feature.Feature;
import dev.easel.compliance.domain.scan.ScanKind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Which pack provides which feature, and the background work: reading reports, polls, timeouts. */
@Configuration
class ComplianceConfiguration {

  /** {@code easel.compliance.features.<feature>: <pack>} overrides the seed's table. */
  @Bean
  FeaturePacks featurePacks(Environment env) {
    Map<Feature, String> packs = new EnumMap<>(Feature.class);
    for (Feature f : Feature.values()) {
      String p = env.getProperty("easel.compliance.features." + f.wireName());
      if (p != null && !p.isBlank()) {
        packs.put(f, p.trim());
      }
    }
    return new FeaturePacks(packs);
  }

  /** Reads the files that arrived into their scans' reports. */
  @Bean
  PeriodicTask reportIngestTask(
      ReportIngest ingest, @Value("${easel.compliance.ingest-interval:500ms}") Duration every) {
    return new PeriodicTask("compliance-ingest", every, ingest::drain);
  }

  /** Reads each running conformance scan's status when its time comes. */
  @Bean
  PeriodicTask conformancePollTask(ConformanceSteps conformance) {
    return new PeriodicTask("compliance-conformance", Duration.ofSeconds(1), conformance::poll);
  }

  /** Fails scans that ran longer than their kind may: a node that vanished, an agent that hung. */
  @Bean
  PeriodicTask overdueScanTask(
      Scans scans,
      @Value("${easel.compliance.timeouts.configuration:1h}") Duration configuration,
      @Value("${easel.compliance.timeouts.penetration:1h}") Duration penetration,
      @Value("${easel.compliance.timeouts.sbom:4h}") Duration sbom,
      @Value("${easel.compliance.timeouts.conformance:6h}") Duration conformance) {
    Map<ScanKind, Duration> limits = new EnumMap<>(ScanKind.class);
    limits.put(ScanKind.CONFIGURATION, configuration);
    limits.put(ScanKind.PENETRATION, penetration);
    limits.put(ScanKind.SBOM, sbom);
    limits.put(ScanKind.CONFORMANCE, conformance);
    return new PeriodicTask(
        "compliance-timeouts", Duration.ofMinutes(1), () -> scans.failOverdue(limits));
  }
}
