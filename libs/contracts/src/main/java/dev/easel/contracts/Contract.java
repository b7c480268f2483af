package dev.easel.contracts;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the wire type of a contract record. The type, not the Java class name, travels in the
 * {@code ce_type} header, so a record can be renamed or moved without breaking a consumer.
 *
 * <p>A type reads {@code dev.easel.<context>.<Name>.v<N>}. A breaking change is a new record with a
 * new version; the old one stays until no producer emits it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Contract {

  /** The full CloudEvents type, for example {@code dev.easel.nodes.NodeRegistered.v1}. */
  String value();

  /** Whether this is an event, a command or a reply. */
  Kind kind();

  /** One line for the event catalogue. */
  String description();

  /** The role a contract plays on the bus; it decides the topic it travels on. */
  enum Kind {
    EVENT,
    COMMAND,
    REPLY
  }
}
