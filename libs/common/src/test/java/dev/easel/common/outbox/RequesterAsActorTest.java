package dev.easel.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.common.envelope.Envelope;
import dev.easel.common.envelope.MessageContext;
import dev.easel.common.envelope.Requester;
import dev.easel.common.support.Backbone;
import dev.easel.common.support.TestContracts.EntryRecorded;
import dev.easel.testing.InfrastructureExtension;
import dev.easel.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who asked: what a service emits while serving a request carries the caller as its actor; what it
 * emits while handling a message carries that message's actor, even when a request is served too.
 */
@ExtendWith(InfrastructureExtension.class)
class RequesterAsActorTest {

  private static Backbone backbone;
  private static JdbcOutbox outbox;

  @BeforeAll
  static void setUp(TestDatabase db) {
    backbone = new Backbone(db);
    Requester alice = () -> Optional.of("alice");
    outbox =
        new JdbcOutbox(
            backbone.jdbc,
            backbone.registry,
            backbone.json,
            "ledger",
            "/easel/test-ledger",
            Clock.systemUTC(),
            RelayWakeup.NONE,
            alice);
  }

  @AfterAll
  static void tearDown() {
    backbone.close();
  }

  @Test
  void anEventAppendedWithNoMessageBeingHandledCarriesTheRequesterAsItsActor() {
    UUID id = backbone.tx.execute(s -> outbox.publishEvent("a-1", new EntryRecorded("a-1", 1)));
    assertThat(actorOf(id)).isEqualTo("alice");
  }

  @Test
  void anEventAppendedWhileHandlingAMessageCarriesThatMessagesActor() {
    Envelope cause =
        new Envelope(
            UUID.randomUUID().toString(),
            "dev.easel.ledger.EntryRecorded.v1",
            "/easel/elsewhere",
            "a-2",
            Instant.now(),
            null,
            null,
            null,
            "bob",
            null,
            null,
            null);
    UUID[] id = new UUID[1];
    MessageContext.runWith(
        cause,
        () ->
            id[0] =
                backbone.tx.execute(s -> outbox.publishEvent("a-2", new EntryRecorded("a-2", 1))));
    assertThat(actorOf(id[0])).isEqualTo("bob");
  }

  @Test
  void anActorSetOnTheMessageWinsOverTheRequester() {
    UUID id =
        backbone.tx.execute(
            s ->
                outbox.append(
                    new OutboundMessage(
                        "easel.ledger.events",
                        "a-3",
                        new EntryRecorded("a-3", 1),
                        null,
                        null,
                        null,
                        null,
                        null,
                        "carol",
                        null,
                        null)));
    assertThat(actorOf(id)).isEqualTo("carol");
  }

  private static String actorOf(UUID id) {
    return backbone.jdbc.queryForObject(
        "SELECT extensions ->> 'actor' FROM easel.outbox WHERE id = ?", String.class, id);
  }
}
