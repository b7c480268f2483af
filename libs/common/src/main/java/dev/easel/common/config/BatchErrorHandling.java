package dev.easel.common.config;

import dev.easel.common.envelope.MalformedEnvelopeException;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer;
import org.springframework.cloud.stream.binder.kafka.properties.KafkaConsumerProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.HeaderNames;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Retries and dead letters for batch-mode bindings. The binder dead-letters a whole batch when its
 * listener fails; the inbox instead names the failing record ({@code
 * BatchListenerFailedException}), and this error handler retries only that record, with the
 * binding's backoff, then publishes it to the binding's DLQ and goes on with the records after it.
 * A malformed record is not retried.
 *
 * <p>Offsets are committed asynchronously: the inbox, not the offset, records what was handled.
 *
 * <p>Dead letters carry the same {@code x-original-*} and {@code x-exception-*} headers as the
 * binder's own, so a DLQ reads the same whichever path wrote it.
 */
final class BatchErrorHandling
    implements ListenerContainerWithDlqAndRetryCustomizer, DisposableBean {

  private final DefaultKafkaProducerFactory<byte[], byte[]> producers;
  private final KafkaTemplate<byte[], byte[]> template;

  BatchErrorHandling(String bootstrapServers) {
    producers =
        new DefaultKafkaProducerFactory<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    template = new KafkaTemplate<>(producers);
  }

  @Override
  public void configure(
      AbstractMessageListenerContainer<?, ?> container,
      String destinationName,
      String group,
      BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver,
      BackOff backOff,
      ExtendedConsumerProperties<KafkaConsumerProperties> properties) {
    if (!properties.isBatchMode()) {
      return; // record-mode bindings keep the binder's own retries and DLQ
    }
    DefaultErrorHandler handler;
    BackOff retries = backOff != null ? backOff : new FixedBackOff(0L, 0L);
    if (dlqDestinationResolver != null) {
      DeadLetterPublishingRecoverer recoverer =
          new DeadLetterPublishingRecoverer(template, dlqDestinationResolver);
      recoverer.setHeaderNamesSupplier(BatchErrorHandling::binderHeaderNames);
      // The listener's failure arrives wrapped by the binder; the dead letter names what failed.
      ConsumerAwareRecordRecoverer unwrapping =
          (record, consumer, e) -> recoverer.accept(record, consumer, handlerFailure(e));
      handler = new DefaultErrorHandler(unwrapping, retries);
    } else {
      handler = new DefaultErrorHandler(retries);
    }
    handler.addNotRetryableExceptions(MalformedEnvelopeException.class);
    container.setCommonErrorHandler(handler);
    // Offsets are a shortcut, not the record of what was handled: the inbox is. A commit lost in
    // a crash only means a redelivery the inbox absorbs, so the consumer need not wait for it.
    container.getContainerProperties().setSyncCommits(false);
  }

  @Override
  public void configure(
      AbstractMessageListenerContainer<?, ?> container,
      String destinationName,
      String group,
      BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver,
      BackOff backOff) {
    // Only the variant with the binding's properties is used: it tells batch bindings apart.
  }

  /** The exception the handler threw, from inside the binder's and the inbox's wrappers. */
  static Exception handlerFailure(Exception thrown) {
    Throwable t = thrown;
    while (t != null) {
      if (t instanceof BatchListenerFailedException failed
          && failed.getCause() instanceof Exception e) {
        return e;
      }
      t = t.getCause();
    }
    return thrown;
  }

  private static HeaderNames binderHeaderNames() {
    return HeaderNames.Builder.original()
        .offsetHeader("x-original-offset")
        .timestampHeader("x-original-timestamp")
        .timestampTypeHeader("x-original-timestamp-type")
        .topicHeader("x-original-topic")
        .partitionHeader("x-original-partition")
        .consumerGroupHeader("x-original-consumer-group")
        .exception()
        .keyExceptionFqcn("x-key-exception-fqcn")
        .exceptionFqcn("x-exception-fqcn")
        .exceptionCauseFqcn("x-exception-cause-fqcn")
        .keyExceptionMessage("x-key-exception-message")
        .exceptionMessage("x-exception-message")
        .keyExceptionStacktrace("x-key-exception-stacktrace")
        .exceptionStacktrace("x-exception-stacktrace")
        .build();
  }

  @Override
  public void destroy() {
    producers.destroy();
  }
}
