package dev.easel.bench;

import dev.easel.contracts.Contract;
import java.util.List;

/** Contracts of the benchmark's two made-up contexts. */
final class BenchContracts {

  static final List<Class<?>> ALL = List.of(Ping.class, DoStep.class);

  private BenchContracts() {}

  @Contract(value = "dev.easel.bencha.Ping.v1", kind = Contract.Kind.EVENT, description = "bench")
  record Ping(String id, long seq, String padding) {}

  @Contract(
      value = "dev.easel.benchb.DoStep.v1",
      kind = Contract.Kind.COMMAND,
      description = "bench")
  record DoStep(String runId, int step) {}
}
