package dev.easel.contracts;

import java.util.List;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary mode: every attribute is a Kafka header named
 * {@code ce_<attribute>}, and the record value is the data. Easel's extensions travel the same way.
 */
public final class CloudEventHeaders {

  public static final String SPEC_VERSION_VALUE = "1.0";
  public static final String CONTENT_TYPE_VALUE = "application/json";

  public static final String ID = "ce_id";
  public static final String SOURCE = "ce_source";
  public static final String TYPE = "ce_type";
  public static final String SUBJECT = "ce_subject";
  public static final String TIME = "ce_time";
  public static final String SPEC_VERSION = "ce_specversion";

  /** Binary mode carries the data content type in the plain {@code content-type} header. */
  public static final String CONTENT_TYPE = "content-type";

  /** The id shared by every message that one operator request set off. */
  public static final String CORRELATION_ID = "ce_correlationid";

  /** The id of the message whose handling emitted this one. */
  public static final String CAUSATION_ID = "ce_causationid";

  /** The saga this command or reply belongs to. */
  public static final String SAGA_ID = "ce_sagaid";

  /** Who asked: an operator's name, a node id or a service. */
  public static final String ACTOR = "ce_actor";

  /** W3C trace context, so a trace crosses Kafka. */
  public static final String TRACEPARENT = "ce_traceparent";

  /**
   * The idempotency key of a saga command. A step's action and its compensation share it, so a
   * participant recognises a retry or the undo of what it did.
   */
  public static final String REQUEST_ID = "ce_requestid";

  /** The topic a participant sends its reply to. */
  public static final String REPLY_TO = "ce_replyto";

  /** Extension headers Easel reads and writes besides the required attributes. */
  public static final List<String> EXTENSIONS =
      List.of(CORRELATION_ID, CAUSATION_ID, SAGA_ID, ACTOR, TRACEPARENT, REQUEST_ID, REPLY_TO);

  private CloudEventHeaders() {}
}
