package dev.easel.common.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

  private final Envelope envelope =
      new Envelope(
          "id-1",
          "dev.easel.nodes.NodeRegistered.v1",
          "/easel/node-discovery",
          "node-7",
          Instant.parse("2026-11-25T10:00:00Z"),
          "corr",
          "cause",
          "saga",
          "alice",
          TraceParent.newTrace(),
          "saga:0",
          "easel.clusters.replies");

  @Test
  void writesBinaryModeHeadersAndReadsThemBack() {
    Map<String, byte[]> headers = EnvelopeCodec.toHeaders(envelope);
    assertThat(headers)
        .containsKeys(
            "ce_id",
            "ce_type",
            "ce_source",
            "ce_specversion",
            "ce_time",
            "ce_subject",
            "ce_correlationid",
            "ce_causationid",
            "ce_sagaid",
            "ce_actor",
            "ce_traceparent");
    assertThat(new String(headers.get("ce_specversion"))).isEqualTo("1.0");
    Map<String, Object> asSpringHeaders = new HashMap<>(headers);
    assertThat(EnvelopeCodec.fromHeaders(asSpringHeaders::get)).isEqualTo(envelope);
  }

  @Test
  void readsTheCanonicalDashSpellingToo() {
    Map<String, Object> dashed = new HashMap<>();
    EnvelopeCodec.toHeaders(envelope)
        .forEach((k, v) -> dashed.put(k.replace("ce_", "ce-"), new String(v)));
    assertThat(EnvelopeCodec.fromHeaders(dashed::get)).isEqualTo(envelope);
  }

  @Test
  void refusesAMessageWithoutIdTypeOrSourceOrWithAForeignSpecVersion() {
    assertThatThrownBy(() -> EnvelopeCodec.fromHeaders(Map.<String, Object>of("ce_type", "t")::get))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("ce_id");
    Map<String, Object> old = new HashMap<>(EnvelopeCodec.toHeaders(envelope));
    old.put("ce_specversion", "0.3");
    assertThatThrownBy(() -> EnvelopeCodec.fromHeaders(old::get))
        .hasMessageContaining("specversion 0.3");
  }

  @Test
  void aChildSpanKeepsTheTraceAndGetsItsOwnSpanId() {
    String parent = TraceParent.newTrace();
    String child = TraceParent.childOf(parent);
    assertThat(TraceParent.traceId(child)).isEqualTo(TraceParent.traceId(parent));
    assertThat(child).isNotEqualTo(parent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(TraceParent.traceId(TraceParent.childOf("garbage"))).isNotNull();
  }
}
