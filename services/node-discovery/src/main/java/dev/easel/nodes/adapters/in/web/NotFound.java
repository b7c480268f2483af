package dev.easel.nodes.adapters.in.web;

/** The resource asked for does not exist. */
final class NotFound extends RuntimeException {

  NotFound(String detail) {
    super(detail);
  }
}
