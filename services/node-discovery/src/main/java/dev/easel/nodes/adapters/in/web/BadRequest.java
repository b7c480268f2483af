package dev.easel.nodes.adapters.in.web;

/** A request that cannot be served as given; {@code type} names the problem. */
final class BadRequest extends RuntimeException {

  private final String type;

  BadRequest(String type, String detail) {
    super(detail);
    this.type = type;
  }

  String type() {
    return type;
  }
}
