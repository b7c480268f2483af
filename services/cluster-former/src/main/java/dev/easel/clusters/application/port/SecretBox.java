package dev.easel.clusters.application.port;

/** Seals secrets at rest, each bound to what it belongs to. */
public interface SecretBox {

  byte[] seal(String secret, String boundTo);

  String open(byte[] sealed, String boundTo);
}
