package dev.easel.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashChainTest {

  private static AuditEvent event(String id, String data) {
    return new AuditEvent(
        id,
        "dev.easel.nodes.NodeRegistered.v1",
        "/easel/node-discovery",
        null,
        "ops",
        Instant.parse("2026-11-26T10:00:00.123456789Z"),
        "easel.nodes.events",
        data.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void eachRecordFollowsTheHashBeforeItFromGenesis() {
    List<AuditRecord> chain =
        HashChain.append(0, HashChain.GENESIS, List.of(event("a", "{}"), event("b", "{\"x\":1}")));

    assertThat(chain).extracting(AuditRecord::seq).containsExactly(1L, 2L);
    assertThat(chain.get(0).prevHash()).isEqualTo(HashChain.GENESIS);
    assertThat(chain.get(1).prevHash()).isEqualTo(chain.get(0).hash());
    assertThat(HashChain.check(chain.get(0), 1, HashChain.GENESIS, 0)).isEmpty();
    assertThat(HashChain.check(chain.get(1), 2, chain.get(0).hash(), 1)).isEmpty();
  }

  @Test
  void timesAreKeptToTheMicrosecondAsThePostgresqlColumnIs() {
    assertThat(event("a", "{}").time()).isEqualTo(Instant.parse("2026-11-26T10:00:00.123456Z"));
  }

  @Test
  void changedDataAChangedFieldAndAWrongPredecessorAreEachFound() {
    AuditRecord r = HashChain.append(0, HashChain.GENESIS, List.of(event("a", "{}"))).get(0);
    AuditRecord changedData =
        new AuditRecord(
            r.seq(),
            r.eventId(),
            r.type(),
            r.source(),
            r.subject(),
            r.actor(),
            r.time(),
            r.topic(),
            "{\"forged\":true}".getBytes(StandardCharsets.UTF_8),
            r.dataHash(),
            r.prevHash(),
            r.hash());
    AuditRecord changedActor =
        new AuditRecord(
            r.seq(),
            r.eventId(),
            r.type(),
            r.source(),
            r.subject(),
            "mallory",
            r.time(),
            r.topic(),
            r.data(),
            r.dataHash(),
            r.prevHash(),
            r.hash());

    assertThat(HashChain.check(changedData, 1, HashChain.GENESIS, 0).orElseThrow().reason())
        .contains("data");
    assertThat(HashChain.check(changedActor, 1, HashChain.GENESIS, 0).orElseThrow().reason())
        .contains("hash");
    assertThat(HashChain.check(r, 1, "f".repeat(64), 0).orElseThrow().reason())
        .contains("prevHash");
    assertThat(HashChain.check(r, 2, HashChain.GENESIS, 0).orElseThrow().reason())
        .contains("missing");
  }

  @Test
  void aMissingFieldAndAnEmptyOneHashDifferently() {
    AuditEvent withNull = event("a", "{}");
    AuditEvent withEmpty =
        new AuditEvent(
            "a",
            withNull.type(),
            withNull.source(),
            "",
            withNull.actor(),
            withNull.time(),
            withNull.topic(),
            withNull.data());

    assertThat(HashChain.append(0, HashChain.GENESIS, List.of(withNull)).get(0).hash())
        .isNotEqualTo(HashChain.append(0, HashChain.GENESIS, List.of(withEmpty)).get(0).hash());
  }
}
