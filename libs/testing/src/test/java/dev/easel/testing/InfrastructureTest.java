package dev.easel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.saga.SagaCompleted;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfrastructureExtension.class)
class InfrastructureTest {

  @Test
  void givesEachTestClassARealPostgresDatabase(TestDatabase db) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT current_database(), current_setting('server_version_num')")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(db.name());
      assertThat(rs.getInt(2)).isGreaterThanOrEqualTo(170000);
    }
  }

  @Test
  void eventStreamSeesWhatIsSentAfterItOpensAndNotBefore(Infrastructure infra) {
    String topic = "easel.infratest" + UUID.randomUUID().toString().substring(0, 8) + ".events";
    infra.createTopics(2, topic);
    ContractRegistry registry = ContractRegistry.of(EaselContracts.ALL);
    UUID before = UUID.randomUUID();
    UUID after = UUID.randomUUID();
    try (KafkaProducer<String, byte[]> producer = producer(infra)) {
      send(producer, topic, before);
      producer.flush();
      try (EventStream events = EventStream.watch(registry, topic)) {
        events
            .stimulate(() -> send(producer, topic, after))
            .andWaitForEventOfType(SagaCompleted.class)
            .matching(e -> e.sagaId().equals(after))
            .toArrive();
        events
            .andWaitForEventOfType(SagaCompleted.class)
            .matching(e -> e.sagaId().equals(before))
            .toNotArriveWithin(Duration.ofMillis(300));
      }
    }
  }

  private static KafkaProducer<String, byte[]> producer(Infrastructure infra) {
    return KafkaClients.producer(infra.kafkaBootstrapServers());
  }

  private static void send(KafkaProducer<String, byte[]> producer, String topic, UUID sagaId) {
    ProducerRecord<String, byte[]> r =
        new ProducerRecord<>(
            topic,
            sagaId.toString(),
            ("{\"sagaId\":\"" + sagaId + "\",\"sagaType\":\"T\",\"at\":\"" + Instant.now() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    r.headers().add("ce_type", "dev.easel.saga.SagaCompleted.v1".getBytes(StandardCharsets.UTF_8));
    producer.send(r);
  }
}
