package dev.easel.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.contracts.saga.SagaStarted;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractRegistryTest {

  @Contract(value = "dev.easel.saga.SagaStarted.v1", kind = Contract.Kind.EVENT, description = "x")
  record Impostor(String id) {}

  @Contract(value = "dev.easel.Bad.v1", kind = Contract.Kind.EVENT, description = "x")
  record Malformed(String id) {}

  record Unannotated(String id) {}

  @Test
  void mapsEachRecordToItsTypeAndBack() {
    ContractRegistry registry = ContractRegistry.of(EaselContracts.ALL);
    assertThat(registry.typeOf(SagaStarted.class)).isEqualTo("dev.easel.saga.SagaStarted.v1");
    assertThat(registry.classOf("dev.easel.saga.SagaStarted.v1")).contains(SagaStarted.class);
  }

  @Test
  void unknownTypeIsEmptySoConsumersCanIgnoreIt() {
    assertThat(ContractRegistry.of(EaselContracts.ALL).classOf("dev.easel.saga.Future.v9"))
        .isEmpty();
  }

  @Test
  void refusesTwoRecordsDeclaringOneType() {
    assertThatThrownBy(() -> ContractRegistry.of(List.of(SagaStarted.class, Impostor.class)))
        .hasMessageContaining("declared by both");
  }

  @Test
  void refusesMalformedTypesAndUnannotatedRecords() {
    assertThatThrownBy(() -> ContractRegistry.of(List.of(Malformed.class)))
        .hasMessageContaining("dev.easel.<context>.<Name>.v<N>");
    assertThatThrownBy(() -> ContractRegistry.of(List.of(Unannotated.class)))
        .hasMessageContaining("no @Contract");
  }

  @Test
  void parsesContextNameAndVersion() {
    assertThat(ContractType.parse("dev.easel.nodes.NodeRegistered.v2"))
        .isEqualTo(new ContractType("nodes", "NodeRegistered", 2));
  }
}
