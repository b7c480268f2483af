package dev.easel.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EventCatalogTest {

  private static final Path CATALOG = Path.of("../../docs/events.md");

  @Test
  void checkedInCatalogueMatchesTheRegistry() throws IOException {
    String rendered = EventCatalog.render(ContractRegistry.of(EaselContracts.ALL));
    if (Boolean.getBoolean("easel.catalog.write")) {
      Files.createDirectories(CATALOG.getParent());
      Files.writeString(CATALOG, rendered, StandardCharsets.UTF_8);
    }
    assertThat(CATALOG)
        .as(
            "docs/events.md is stale; regenerate with"
                + " ./mvnw -pl libs/contracts test -Deasel.catalog.write=true")
        .exists();
    assertThat(Files.readString(CATALOG, StandardCharsets.UTF_8)).isEqualTo(rendered);
  }

  @Test
  void catalogueListsEveryShippedTypeWithItsTopic() {
    String rendered = EventCatalog.render(ContractRegistry.of(EaselContracts.ALL));
    assertThat(rendered)
        .contains("| `dev.easel.saga.SagaStarted.v1` | event | `easel.saga.events` |")
        .contains("| `dev.easel.saga.CommandFailed.v1` | reply | `easel.saga.replies` |");
  }
}
