package dev.easel.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerApiTest {

  @Test
  void pathSegmentsArePercentEncodedSoAnIdCannotChangeThePath() {
    assertThat(ServerApi.segment("form-cluster.1_a~b")).isEqualTo("form-cluster.1_a~b");
    assertThat(ServerApi.segment("../x y/?#")).isEqualTo("..%2Fx%20y%2F%3F%23");
    assertThat(ServerApi.segment("é")).isEqualTo("%C3%A9");
  }
}
