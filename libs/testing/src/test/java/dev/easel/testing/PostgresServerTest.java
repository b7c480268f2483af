package dev.easel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfrastructureExtension.class)
class PostgresServerTest {

  @Test
  void aDurableServerFlushesEveryCommitDespiteZonkysDefaults() {
    try (PostgresServer pg =
        PostgresServer.start(Infrastructure.tempDir("durable-pg"), 0, PostgresServer.DURABLE)) {
      assertThat(pg.setting("fsync")).isEqualTo("on");
      assertThat(pg.setting("synchronous_commit")).isEqualTo("on");
      assertThat(pg.setting("full_page_writes")).isEqualTo("on");
    }
  }

  @Test
  void theSharedEmbeddedTestServerTradesDurabilityForSpeed(TestDatabase db) throws Exception {
    assumeTrue(Infrastructure.get().mode().equals("embedded"), "containers keep their defaults");
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('fsync')")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("off");
    }
  }
}
